package dev.porthole.terminal;

import dev.porthole.error.Problem;
import dev.porthole.wire.CloseReasons;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A terminal's client as a WebSocket session: output in the frames it negotiated, the end as a close frame. */
final class WebSocketTerminal implements TerminalSink {
    private static final Logger log = LoggerFactory.getLogger(WebSocketTerminal.class);

    private static final ByteBuffer PING = ByteBuffer.wrap(new byte[] {'p'}).asReadOnlyBuffer();

    private final Session socket;
    private final OutputFrames frames;
    private final AtomicInteger unanswered = new AtomicInteger();

    WebSocketTerminal(Session socket, OutputFrames frames) {
        this.socket = socket;
        this.frames = frames;
    }

    @Override
    public void output(byte[] bytes, int offset, int length) throws IOException {
        frames.send(bytes, offset, length);
    }

    @Override
    public void output(byte[] bytes, Consumer<Throwable> sent) {
        frames.send(bytes, sent);
    }

    @Override
    public void outputEnded() throws IOException {
        frames.finish();
    }

    @Override
    public void ping() throws IOException {
        unanswered.incrementAndGet();
        socket.getBasicRemote().sendPing(PING.duplicate());
    }

    @Override
    public int unansweredPings() {
        return unanswered.get();
    }

    void pong() {
        unanswered.set(0);
    }

    @Override
    public void close(Problem problem, String reason) {
        if (!socket.isOpen()) {
            return;
        }
        try {
            socket.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(problem.closeCode()),
                    CloseReasons.fit(reason)));
        } catch (IOException | IllegalStateException e) {
            log.debug("closing terminal socket {}: {}", socket.getId(), e.getMessage());
        }
    }
}
