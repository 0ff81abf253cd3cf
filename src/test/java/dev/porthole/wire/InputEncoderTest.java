package dev.porthole.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputEncoderTest {

    @Test
    void aSurrogatePairSplitBetweenPartsIsEncodedWhole() {
        String emoji = "x😀y";
        InputEncoder encoder = new InputEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(encoder.encode(emoji.substring(0, 2), false));
        out.writeBytes(encoder.encode(emoji.substring(2), true));
        assertArrayEquals(emoji.getBytes(StandardCharsets.UTF_8), out.toByteArray());
    }

    @Test
    void aLoneHighSurrogateAtTheEndOfAMessageIsNotKept() {
        InputEncoder encoder = new InputEncoder();
        encoder.encode("a\uD83D", true);
        assertArrayEquals("b".getBytes(StandardCharsets.UTF_8), encoder.encode("b", true));
    }
}
