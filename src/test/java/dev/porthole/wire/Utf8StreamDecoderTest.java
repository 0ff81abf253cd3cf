package dev.porthole.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8StreamDecoderTest {
    private static final String TEXT = "aé€😀中文\u001b[31mred\u001b[0m";

    @Test
    void everySplitPointOfEveryCharacterDecodesToTheSameText() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            Utf8StreamDecoder decoder = new Utf8StreamDecoder();
            String out = decoder.decode(bytes, 0, split) + decoder.decode(bytes, split, bytes.length - split)
                    + decoder.finish();
            assertEquals(TEXT, out, "split at " + split);
        }
    }

    @Test
    void oneByteAtATimeDecodesToTheSameText() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            out.append(decoder.decode(bytes, i, 1));
        }
        assertEquals(TEXT, out.append(decoder.finish()).toString());
    }

    @Test
    void aCharacterCutShortAtTheEndBecomesOneReplacement() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        assertEquals("", decoder.decode(euro, 0, 2));
        assertEquals("\uFFFD", decoder.finish());
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementsAndTheStreamGoesOn() {
        byte[] bytes = {'a', (byte) 0xff, 'b', (byte) 0xc3};
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        assertEquals("a\uFFFDb", decoder.decode(bytes, 0, bytes.length));
        assertEquals("é", decoder.decode(new byte[] {(byte) 0xa9}, 0, 1));
    }

    @Test
    void randomTextInRandomChunksDecodesToTheSameText() {
        java.util.Random random = new java.util.Random(8);
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                int[] ranges = {0x7f, 0x7ff, 0xd7ff, 0x10ffff};
                int cp = random.nextInt(ranges[random.nextInt(ranges.length)] + 1);
                if (cp >= 0xd800 && cp <= 0xdfff) {
                    cp = 'x'; // surrogates are not characters
                }
                text.appendCodePoint(cp);
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            Utf8StreamDecoder decoder = new Utf8StreamDecoder();
            StringBuilder out = new StringBuilder();
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(7));
                out.append(decoder.decode(bytes, at, n));
                at += n;
            }
            assertEquals(text.toString(), out.append(decoder.finish()).toString(), "round " + round);
        }
    }

    @Test
    void controlBytesAndNulPassUnchanged() {
        byte[] bytes = {0, 1, 2, 27, '[', 'H', 7};
        assertEquals("\u0000\u0001\u0002\u001b[H\u0007", new Utf8StreamDecoder().decode(bytes, 0, bytes.length));
    }
}
