package dev.porthole.websocket;

import dev.porthole.error.Problem;
import dev.porthole.terminal.Terminal;
import dev.porthole.terminal.TerminalSink;
import dev.porthole.wire.CloseReasons;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A terminal's client as a WebSocket session: output in the frames it negotiated, the end as a close frame, and
 * what {@link Keepalive} needs to know of it: pings unanswered, and whether keystrokes wait on a container thread.
 */
final class WebSocketTerminal implements TerminalSink {
    private static final Logger log = LoggerFactory.getLogger(WebSocketTerminal.class);

    private static final ByteBuffer PING = ByteBuffer.wrap(new byte[] {'p'}).asReadOnlyBuffer();

    private final Session socket;
    private final OutputFrames frames;
    private final AtomicInteger unanswered = new AtomicInteger();
    /** At most one ping in flight: a send to a dead peer can block until the send timeout. */
    private final AtomicBoolean pingInFlight = new AtomicBoolean();
    /**
     * Keystrokes being handed to the terminal, each on the container thread that received them. Until the first
     * size the terminal holds them, and that thread reads no more from the client's connection meanwhile, pongs
     * included: the engine answers the first resize only once the process runs, up to 10 s later on a busy engine,
     * so missed pongs say nothing about the client then.
     */
    private final AtomicInteger inputInFlight = new AtomicInteger();
    private volatile Terminal terminal;

    WebSocketTerminal(Session socket, OutputFrames frames) {
        this.socket = socket;
        this.frames = frames;
    }

    void attached(Terminal terminal) {
        this.terminal = terminal;
    }

    Terminal terminal() {
        return terminal;
    }

    /** Hands keystrokes to the terminal; blocks while it holds them (see {@link #inputInFlight}). */
    void input(byte[] bytes, boolean last) {
        inputInFlight.incrementAndGet();
        try {
            terminal.input(bytes, last);
        } finally {
            inputInFlight.decrementAndGet();
        }
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

    /** Whether a keepalive round may ping now: the socket is open, no ping is in flight and no keystrokes wait. */
    boolean startPing() {
        return socket.isOpen() && inputInFlight.get() == 0 && pingInFlight.compareAndSet(false, true);
    }

    void pingDone() {
        pingInFlight.set(false);
    }

    void ping() throws IOException {
        unanswered.incrementAndGet();
        socket.getBasicRemote().sendPing(PING.duplicate());
    }

    int unansweredPings() {
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
