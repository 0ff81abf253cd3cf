package dev.porthole.websocket;

import dev.porthole.error.Problem;
import dev.porthole.terminal.TerminalSink;

/**
 * Counts the bytes of the client's message in progress and closes the socket when one grows past {@code max}
 * ({@code terminal.max-message-bytes}). Messages arrive in parts, one socket's on one thread at a time.
 */
final class InputLimit {
    private final long max;
    private final TerminalSink client;
    private long inMessage;
    private boolean exceeded;

    InputLimit(long max, TerminalSink client) {
        this.max = max;
        this.client = client;
    }

    /** Whether this part of a message may go to the terminal; {@code last}: it ends the message. */
    boolean admit(int bytes, boolean last) {
        if (exceeded) {
            return false;
        }
        inMessage += bytes;
        if (inMessage > max) {
            exceeded = true;
            client.close(Problem.PAYLOAD_TOO_LARGE, "message too big: the limit is " + max + " bytes");
            return false;
        }
        if (last) {
            inMessage = 0;
        }
        return true;
    }
}
