package dev.porthole.websocket;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** Output as binary frames, for clients that asked for {@code porthole.binary}: the engine's bytes as read. */
final class BinaryFrames implements OutputFrames {
    private final RemoteEndpoint.Basic remote;
    private final RemoteEndpoint.Async async;

    BinaryFrames(Session socket) {
        this.remote = socket.getBasicRemote();
        this.async = socket.getAsyncRemote();
    }

    /**
     * Wraps the relay's buffer without a copy: the basic remote's send returns only once the frame was written
     * (Tomcat waits for the write to complete, up to the send timeout), so the relay's next read cannot overwrite
     * bytes still being sent. A send that timed out ends the session, and with it the reads.
     */
    @Override
    public void send(byte[] bytes, int offset, int length) throws IOException {
        remote.sendBinary(ByteBuffer.wrap(bytes, offset, length));
    }

    @Override
    public void send(byte[] bytes, Consumer<Throwable> sent) {
        async.sendBinary(ByteBuffer.wrap(bytes), OutputFrames.reporting(sent));
    }

    /** Nothing is held back: every byte went out as it was read. */
    @Override
    public void finish() {
    }
}
