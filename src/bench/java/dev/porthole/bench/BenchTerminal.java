package dev.porthole.bench;

import java.io.IOException;

/**
 * One interactive shell as a measurement sees it, whichever way it is reached: through Porthole's WebSocket or
 * straight from the engine's hijacked exec stream. Every figure is written once against this.
 */
interface BenchTerminal extends AutoCloseable {
    Output output();

    /** Sends {@code text} as one message (one WebSocket frame, or one write to the engine). */
    void type(String text) throws IOException;

    /** Stops reading the terminal's output, leaving it to pile up wherever the path buffers it. */
    void pause();

    void resume();

    @Override
    void close();
}
