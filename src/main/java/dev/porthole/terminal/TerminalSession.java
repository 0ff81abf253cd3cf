package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ExecState;
import dev.porthole.docker.ExecStream;
import dev.porthole.error.PortholeException;
import dev.porthole.wire.CloseReasons;
import dev.porthole.wire.Utf8StreamDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attached terminal: one exec instance and one client. Its relay thread starts the exec and copies output
 * to the client; the client's messages arrive on container threads through {@link #input}. Whoever ends the
 * session first (the process exiting, the client closing, a sign-out, shutdown) wins {@link #end}; the end
 * closes the client, and once the exec has started, ends its processes and drops the engine connection.
 */
public final class TerminalSession {
    private static final Logger log = LoggerFactory.getLogger(TerminalSession.class);
    private static final int READ_BUFFER = 16 * 1024;

    private final ExecTicket ticket;
    private final DockerEngine engine;
    private final TerminalSink client;
    private final StdinPipe stdin;
    private final ProcessReaper reaper;
    private final Executor engineCalls;
    private final Consumer<TerminalSession> onEnd;
    private final TerminalObserver.Watch watch;
    private final CompletableFuture<ExecStream> started = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<TerminalSize> desiredSize;
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private volatile boolean running;

    TerminalSession(ExecTicket ticket, DockerEngine engine, TerminalSink client, int stdinBuffer,
            ProcessReaper reaper, Executor engineCalls, TerminalObserver observer, Consumer<TerminalSession> onEnd) {
        this.ticket = ticket;
        this.engine = engine;
        this.client = client;
        this.stdin = new StdinPipe(stdinBuffer);
        this.reaper = reaper;
        this.engineCalls = engineCalls;
        this.onEnd = onEnd;
        this.watch = observe(observer, ticket);
        this.desiredSize = ticket.size();
        desiredSize.compareAndSet(null, TerminalSize.DEFAULT);
    }

    public String id() {
        return ticket.id();
    }

    ExecTicket ticket() {
        return ticket;
    }

    /** The relay: runs on a thread of its own for the life of the session. */
    void relay() {
        ExecStream stream;
        try {
            stream = engine.startTty(ticket.dockerExecId(), stdin);
        } catch (PortholeException e) {
            started.complete(null);
            end(e.problem().closeCode(), e.getMessage(), Ending.ERROR);
            return;
        }
        started.complete(stream);
        if (ended.get()) {
            return; // the client left while the exec was starting; end() takes it from here
        }
        running = true;
        // Not on this thread: the engine holds a resize until the process is ready (up to 10 s when it never
        // is), and the output, an error message perhaps, must not wait for that.
        engineCalls.execute(() -> {
            try {
                applySize();
            } catch (PortholeException e) {
                log.debug("initial resize of {} failed: {}", ticket.id(), e.getMessage());
            }
        });
        try {
            copyOutput(stream.output());
        } catch (ClientGone e) {
            end(1001, "client stopped reading", Ending.CLIENT_CLOSED);
            return;
        } catch (IOException e) {
            if (!ended.get()) {
                end(1011, "lost the engine's stream: " + e.getMessage(), Ending.ERROR);
            }
            return;
        }
        if (!ended.get()) {
            Integer exitCode = exitCode();
            end(1000, CloseReasons.exited(exitCode), Ending.EXIT, exitCode);
        }
    }

    private void copyOutput(InputStream output) throws IOException {
        byte[] buffer = new byte[READ_BUFFER];
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        int n;
        while ((n = output.read(buffer)) != -1) {
            bytesOut.addAndGet(n);
            watch.output(buffer, 0, n);
            sendToClient(decoder.decode(buffer, 0, n));
        }
        sendToClient(decoder.finish());
    }

    private void sendToClient(String text) throws ClientGone {
        if (text.isEmpty() || ended.get()) {
            return;
        }
        try {
            client.send(text);
        } catch (IOException | RuntimeException e) {
            throw new ClientGone(e);
        }
    }

    /** Keystrokes from the client; blocks while the process is not reading them. */
    void input(byte[] bytes) {
        if (ended.get()) {
            return;
        }
        try {
            stdin.write(bytes);
            bytesIn.addAndGet(bytes.length);
        } catch (IOException closed) {
            // the session ended while the client was still typing: nothing will read it
        }
    }

    /** Applies the size in the ticket if the exec runs; before that, the relay applies it once started. */
    void applyRequestedSize() {
        if (running) {
            applySize();
        }
    }

    /**
     * Applies the newest requested size. Two resizes racing may reach the engine out of order, so the loop
     * repeats until the size it applied is still the newest one.
     */
    private void applySize() {
        TerminalSize applied;
        do {
            applied = desiredSize.get();
            engine.resize(ticket.dockerExecId(), applied.rows(), applied.cols());
            watch.resized(applied);
        } while (desiredSize.get() != applied);
    }

    private Integer exitCode() {
        // The stream ends a moment before the engine records the exit code.
        for (int i = 0; i < 100; i++) {
            try {
                ExecState state = engine.inspect(ticket.dockerExecId());
                if (!state.running()) {
                    return state.exitCode();
                }
                Thread.sleep(20);
            } catch (PortholeException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    void clientClosed() {
        end(1000, "client closed", Ending.CLIENT_CLOSED);
    }

    /** Ends the session once; later calls do nothing. Never blocks on the engine. */
    void end(int closeCode, String reason, Ending why) {
        end(closeCode, reason, why, null);
    }

    private void end(int closeCode, String reason, Ending why, Integer exitCode) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        watch.ended(why, exitCode, bytesIn.get(), bytesOut.get());
        running = false;
        stdin.close();
        client.close(closeCode, reason);
        onEnd.accept(this);
        log.debug("terminal {} ended ({}): {} bytes in, {} bytes out", ticket.id(), why, bytesIn.get(), bytesOut.get());
        started.thenAccept(stream -> {
            if (stream != null) {
                reaper.endProcesses(engine, ticket, stream::close);
            }
        });
    }

    private static TerminalObserver.Watch observe(TerminalObserver observer, ExecTicket ticket) {
        TerminalObserver.Terminal terminal = new TerminalObserver.Terminal(ticket.id(), ticket.environment().id(),
                ticket.environment().name(), ticket.container(), ticket.shell(), ticket.user(), ticket.owner().name(),
                ticket.clientAddress(), java.time.Instant.now());
        try {
            return new SafeWatch(observer.started(terminal));
        } catch (RuntimeException e) {
            log.warn("terminal observer failed at the start of {}", ticket.id(), e);
            return TerminalObserver.NONE.started(terminal);
        }
    }

    /** An observer's failure must not end a terminal: it is logged, and the relay goes on. */
    private record SafeWatch(TerminalObserver.Watch watch) implements TerminalObserver.Watch {
        @Override
        public void output(byte[] bytes, int offset, int length) {
            try {
                watch.output(bytes, offset, length);
            } catch (RuntimeException e) {
                log.warn("terminal observer failed on output", e);
            }
        }

        @Override
        public void resized(TerminalSize size) {
            try {
                watch.resized(size);
            } catch (RuntimeException e) {
                log.warn("terminal observer failed on resize", e);
            }
        }

        @Override
        public void ended(Ending why, Integer exitCode, long bytesIn, long bytesOut) {
            try {
                watch.ended(why, exitCode, bytesIn, bytesOut);
            } catch (RuntimeException e) {
                log.warn("terminal observer failed at the end", e);
            }
        }
    }

    /** The client could not take output: its socket is gone or too slow for the send timeout. */
    private static final class ClientGone extends IOException {
        ClientGone(Throwable cause) {
            super(cause);
        }
    }
}
