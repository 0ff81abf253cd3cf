package dev.porthole.terminal;

import java.io.IOException;

/** What a pump tells its terminal: output as it is read, and the end of the engine's stream. */
interface PumpListener {
    /** {@code length} bytes of output were read (counted, recorded); answers whether the client is still to get them. */
    boolean read(byte[] bytes, int length);

    /**
     * The engine's stream ended ({@code failure} null) or failed; a {@link ClientGone} when the client could not take
     * the output. Called once, on a terminal thread: the terminal may ask the engine how the process ended.
     */
    void ended(IOException failure);
}
