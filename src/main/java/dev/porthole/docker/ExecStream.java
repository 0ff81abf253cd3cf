package dev.porthole.docker;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.util.Optional;

/**
 * The raw terminal stream of a started TTY exec instance, in both directions. Output is exactly what the terminal
 * printed (a TTY has no stream headers). Closing drops the stream; it does not end the process, which
 * the terminal's process reaper does.
 */
public interface ExecStream extends Closeable {
    /** Reads output into {@code buffer}; blocks until some arrives; -1 once the stream ended. */
    int read(byte[] buffer) throws IOException;

    /**
     * Sends keystrokes; blocks while the process is not reading them, which is what paces a large paste. Fails
     * once the stream is closed.
     */
    void write(byte[] bytes) throws IOException;

    /**
     * The client message whose parts {@link #write} was given is complete. A stream that must not split a message
     * (an agent's, whose separate messages may overtake each other) sends it now; the others have sent it already.
     */
    default void endOfMessage() throws IOException {
    }

    /**
     * Tells the engine that no more keystrokes come (end of stdin) while output may still arrive. The engine ends
     * a TTY exec's attachment only once both directions are done, so a terminal that ends says this first.
     */
    default void endInput() {
    }

    /**
     * Makes {@link #read} answer at once, 0 when no output is there, so that one selector thread can watch many
     * streams; answers the channel to watch. Empty, and still blocking, for a stream no selector can watch (TLS, a
     * terminal through an agent). {@link #write} blocks either way. Called before any read or write.
     */
    default Optional<SelectableChannel> nonBlocking() throws IOException {
        return Optional.empty();
    }

    @Override
    void close();
}
