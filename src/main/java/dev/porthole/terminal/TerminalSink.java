package dev.porthole.terminal;

import java.io.IOException;

/** Where a terminal's output goes and how it is closed; the WebSocket is one such place, a test another. */
public interface TerminalSink {
    /** Sends output; blocks while the client is slow, which is the back-pressure that stops reading the engine. */
    void send(String text) throws IOException;

    /** Sends a keepalive ping; a pong later resets {@link #unansweredPings}. */
    void ping() throws IOException;

    /** Pings sent since the last pong. */
    int unansweredPings();

    /** Closes with a code and a reason; does nothing if already closed. */
    void close(int code, String reason);
}
