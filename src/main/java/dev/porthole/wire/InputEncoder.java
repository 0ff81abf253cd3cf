package dev.porthole.wire;

import java.nio.charset.StandardCharsets;

/**
 * Turns the parts of a text message into the UTF-8 bytes the terminal receives. A part may end between the two
 * halves of a surrogate pair (an emoji split by the container's buffer); the high half waits for the next part
 * so that the character reaches the process whole. Not thread-safe: one encoder per socket.
 */
public final class InputEncoder {
    private char pendingHigh;

    public byte[] encode(String part, boolean last) {
        String text = pendingHigh == 0 ? part : pendingHigh + part;
        pendingHigh = 0;
        if (!last && !text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
            pendingHigh = text.charAt(text.length() - 1);
            text = text.substring(0, text.length() - 1);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
