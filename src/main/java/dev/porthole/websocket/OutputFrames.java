package dev.porthole.websocket;

import jakarta.websocket.SendHandler;
import java.io.IOException;
import java.util.function.Consumer;

/** How a terminal's output becomes WebSocket frames; the subprotocol of the handshake chooses which. */
interface OutputFrames {
    /** Blocks until the frame is written; {@code bytes} may be reused once this returns. */
    void send(byte[] bytes, int offset, int length) throws IOException;

    /** Does not wait; see {@link dev.porthole.terminal.TerminalSink#output(byte[], Consumer)}. */
    void send(byte[] bytes, Consumer<Throwable> sent);

    /** The output ended: sends what was held back. */
    void finish() throws IOException;

    /** The container's report of an asynchronous send, as {@link #send(byte[], Consumer)} promises it. */
    static SendHandler reporting(Consumer<Throwable> sent) {
        return result -> sent.accept(result.isOK() ? null : result.getException());
    }
}
