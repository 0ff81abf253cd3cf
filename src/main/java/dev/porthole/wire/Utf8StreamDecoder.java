package dev.porthole.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a byte stream that arrives in arbitrary chunks into text, carrying a multi-byte character split
 * between two chunks over to the next call instead of replacing it with U+FFFD. Bytes that are not UTF-8 at
 * all still become U+FFFD: a text frame cannot carry them. Not thread-safe: one decoder per stream.
 */
public final class Utf8StreamDecoder {
    /** A UTF-8 sequence is at most 4 bytes, so at most 3 can be waiting for the rest of their character. */
    private final byte[] carry = new byte[3];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private int carried;

    /** Decodes as much of {@code bytes} as forms whole characters; an unfinished tail waits for the next call. */
    public String decode(byte[] bytes, int offset, int length) {
        ByteBuffer in;
        if (carried == 0) {
            in = ByteBuffer.wrap(bytes, offset, length);
        } else {
            in = ByteBuffer.allocate(carried + length);
            in.put(carry, 0, carried).put(bytes, offset, length).flip();
        }
        // UTF-8 never yields more chars than bytes; +1 leaves room for a replacement of a truncated tail.
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        carried = in.remaining();
        in.get(carry, 0, carried);
        return out.flip().toString();
    }

    /** Ends the stream: an unfinished character left over becomes U+FFFD. */
    public String finish() {
        ByteBuffer in = ByteBuffer.wrap(carry, 0, carried);
        CharBuffer out = CharBuffer.allocate(carried + 1);
        decoder.decode(in, out, true);
        decoder.flush(out);
        decoder.reset();
        carried = 0;
        return out.flip().toString();
    }
}
