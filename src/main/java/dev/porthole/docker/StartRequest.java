package dev.porthole.docker;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Reads an exec start request as it arrives, in pieces: its head up to the blank line, then as many body bytes as
 * its {@code Content-Length} says. Whatever follows in the same bytes is left in the buffer: the first keystrokes.
 */
final class StartRequest {
    private static final int MAX_HEAD = 8 * 1024;

    private final StringBuilder head = new StringBuilder();
    private long bodyLeft = -1;

    boolean complete() {
        return bodyLeft == 0;
    }

    /** Takes from {@code in} what belongs to the request; throws on a head that never ends. */
    void take(ByteBuffer in) {
        while (bodyLeft < 0 && in.hasRemaining()) {
            head.append((char) (in.get() & 0xff));
            if (head.length() > MAX_HEAD) {
                throw new IllegalStateException("no end to the start request's head");
            }
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                bodyLeft = contentLength(head.toString());
            }
        }
        if (bodyLeft > 0) {
            int skipped = (int) Math.min(bodyLeft, in.remaining());
            in.position(in.position() + skipped);
            bodyLeft -= skipped;
        }
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

}
