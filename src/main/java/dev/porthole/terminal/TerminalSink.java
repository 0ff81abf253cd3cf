package dev.porthole.terminal;

import dev.porthole.error.Problem;
import java.io.IOException;
import java.util.function.Consumer;

/** Where a terminal's output goes and how it is closed; a WebSocket is one such place, a test another. */
public interface TerminalSink {
    /**
     * Sends output as read from the engine; blocks while the client is slow, which is the back-pressure that stops
     * reading the engine. The relay reads into {@code bytes} again once this returns.
     */
    void output(byte[] bytes, int offset, int length) throws IOException;

    /**
     * Sends output without waiting for the client: {@code sent} gets null once it was written, or the failure, on
     * any thread, this one included. The sink owns {@code bytes} from now on. One send at a time.
     */
    void output(byte[] bytes, Consumer<Throwable> sent);

    /** The engine's stream ended: sends whatever output was held back. */
    void outputEnded() throws IOException;

    /** Closes with the close code of {@code problem} and a reason; does nothing if already closed. */
    void close(Problem problem, String reason);
}
