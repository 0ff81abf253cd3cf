package dev.porthole.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes a byte stream that arrives in arbitrary chunks into text, carrying a multi-byte character split
 * between two chunks over to the next call instead of replacing it with U+FFFD. Bytes that are not UTF-8 at
 * all still become U+FFFD: a text frame cannot carry them. Not thread-safe: one decoder per stream.
 *
 * <p>Only the unfinished tail of a chunk is looked at here; the rest goes to {@code new String(bytes, UTF_8)},
 * whose ASCII path is an intrinsic: terminal output is mostly ASCII, and this runs for every byte of it.
 */
public final class Utf8StreamDecoder {
    /** A UTF-8 sequence is at most 4 bytes, so at most 3 can be waiting for the rest of their character. */
    private final byte[] carry = new byte[3];
    private int carried;

    /** Decodes as much of {@code bytes} as forms whole characters; an unfinished tail waits for the next call. */
    public String decode(byte[] bytes, int offset, int length) {
        byte[] in = bytes;
        int from = offset;
        int to = offset + length;
        if (carried > 0) {
            in = Arrays.copyOf(carry, carried + length);
            System.arraycopy(bytes, offset, in, carried, length);
            from = 0;
            to = carried + length;
        }
        int end = to - unfinishedTail(in, from, to);
        carried = to - end;
        System.arraycopy(in, end, carry, 0, carried);
        return end == from ? "" : new String(in, from, end - from, StandardCharsets.UTF_8);
    }

    /** Ends the stream: an unfinished character left over becomes U+FFFD. */
    public String finish() {
        String rest = carried == 0 ? "" : new String(carry, 0, carried, StandardCharsets.UTF_8);
        carried = 0;
        return rest;
    }

    /**
     * How many bytes at the end of {@code in[from, to)} begin a character that the next chunk may finish: a lead
     * byte followed by fewer continuation bytes than it announces. Anything else (ASCII, a complete character,
     * a stray continuation byte, a byte that is never UTF-8) is decoded now.
     */
    static int unfinishedTail(byte[] in, int from, int to) {
        for (int i = to - 1; i >= Math.max(from, to - 3); i--) {
            int b = in[i] & 0xff;
            if (b < 0x80) {
                return 0;
            }
            if (b >= 0xc0) {
                int needed = b >= 0xf8 ? 0 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                int have = to - i;
                return have < needed ? have : 0;
            }
            // a continuation byte: keep looking for its lead
        }
        return 0;
    }
}
