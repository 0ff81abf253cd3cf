package dev.porthole.terminal;

import dev.porthole.docker.AgentGone;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ExecState;
import dev.porthole.docker.ExecStream;
import dev.porthole.error.Causes;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attached terminal: one exec instance and one client. Its relay thread starts the exec and copies output
 * to the client, or leaves that to a selector thread ({@link OutputSelectors}); the client's messages arrive on
 * container threads through {@link #input}. Whoever ends the session first (the process exiting, the client
 * closing, a sign-out, shutdown) wins {@link #end}; the end closes the client, and once the exec has started,
 * ends its processes and drops the engine connection.
 */
public final class TerminalSession {
    private static final Logger log = LoggerFactory.getLogger(TerminalSession.class);
    /** A waiting terminal holds the smallest buffer; one that streams grows it to read more per frame. */
    private static final int MIN_READ_BUFFER = 2 * 1024;
    private static final int MAX_READ_BUFFER = 64 * 1024;
    /** How long the engine is given to record the exit code once the stream ended. */
    private static final long EXIT_PATIENCE = TimeUnit.SECONDS.toNanos(2);

    private final TerminalSpec ticket;
    private final DockerEngine engine;
    private final TerminalSink client;
    /** Keystrokes wait on this until the first size reached the engine, or the session ended. */
    private final CountDownLatch sized = new CountDownLatch(1);
    private final ProcessReaper reaper;
    private final TerminalStarts starts;
    /**
     * Where the first resize runs, and the end of a stream a selector watched: beside the relays, not the engine
     * pool, since keystrokes wait for that resize and under churn the engine pool's queue is long with reaping that
     * takes seconds per terminal.
     */
    private final Executor relayThreads;
    private final OutputSelectors selectors;
    private final Consumer<TerminalSession> onEnd;
    private final TerminalObserver.Watch watch;
    private final CompletableFuture<ExecStream> started = new CompletableFuture<>();
    /** Completes once the session no longer uses its engine: its processes were ended and its stream closed. */
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicReference<TerminalSize> desiredSize;
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private volatile boolean running;
    /** Set before the end when the process ended because its container stopped: nothing of it is left to end. */
    private volatile boolean containerStopped;

    TerminalSession(TerminalSpec ticket, DockerEngine engine, TerminalSink client,
            ProcessReaper reaper, TerminalStarts starts, Executor relayThreads, OutputSelectors selectors,
            TerminalObserver observer, Consumer<TerminalSession> onEnd) {
        this.ticket = ticket;
        this.engine = engine;
        this.client = client;
        this.reaper = reaper;
        this.starts = starts;
        this.relayThreads = relayThreads;
        this.selectors = selectors;
        this.onEnd = onEnd;
        this.watch = SafeWatch.start(observer, ticket);
        this.desiredSize = ticket.size();
        desiredSize.compareAndSet(null, TerminalSize.DEFAULT);
    }

    public String id() {
        return ticket.id();
    }

    TerminalSpec ticket() {
        return ticket;
    }

    /**
     * The relay: starts the exec on a relay thread, then reads its output there for the life of the session, or
     * hands the stream to a selector thread and returns.
     */
    void relay() {
        // Until the first size reached the engine: sweeps of ended terminals wait for it (ProcessReaper).
        TerminalStarts.Start start = starts.begin(ticket.environment());
        ExecStream stream;
        try {
            stream = engine.startTty(ticket.awaitEngineExecId());
        } catch (PortholeException e) {
            start.done();
            started.complete(null);
            end(Close.failed(e));
            return;
        }
        Optional<OutputSelectors.WatchedStream> watched = watchable(stream);
        if (watched.isPresent()) {
            stream = watched.get();
        }
        started.complete(stream);
        if (ended.get()) {
            start.done();
            return; // the client left while the exec was starting; end() takes it from here
        }
        running = true;
        // Not on this thread: the engine holds a resize until the process is ready (up to 10 s when it never
        // is), and the output, an error message perhaps, must not wait for that.
        // Keystrokes wait for the first size: a command typed at once (stty size) must not see a 0x0 terminal.
        try {
            relayThreads.execute(() -> {
                try {
                    applySize();
                } catch (PortholeException e) {
                    log.debug("initial resize of {} failed: {}", ticket.id(), e.getMessage());
                } finally {
                    start.done();
                    sized.countDown();
                }
            });
        } catch (RejectedExecutionException e) {
            start.done(); // shutting down: every terminal is being ended
            sized.countDown();
        }
        if (watched.isPresent()) {
            watched.get().watch(new SelectedOutput());
            return;
        }
        IOException failure = null;
        try {
            copyOutput(stream);
        } catch (IOException e) {
            failure = e;
        }
        outputEnded(failure);
    }

    private Optional<OutputSelectors.WatchedStream> watchable(ExecStream stream) {
        try {
            return selectors.watchable(stream);
        } catch (IOException e) {
            // the connection broke already: the blocking read finds that out and ends the session
            log.debug("relay {}: cannot watch the engine stream: {}", ticket.id(), e.toString());
            return Optional.empty();
        }
    }

    /** The engine's stream ended ({@code failure} null) or failed; the client may have failed us meanwhile. */
    private void outputEnded(IOException failure) {
        if (failure == null) {
            try {
                endClientOutput();
            } catch (ClientGone e) {
                failure = e;
            }
        }
        if (failure instanceof ClientGone) {
            end(Close.clientGone("client stopped reading"));
            return;
        }
        if (failure != null) {
            log.debug("relay {}: engine stream failed: {}", ticket.id(), failure.toString());
            if (!ended.get()) {
                end(new Close(Problem.ENGINE_FAILED, "the engine went away: " + Causes.of(failure),
                        failure instanceof AgentGone ? Ending.AGENT_LOST : Ending.ERROR));
            }
            return;
        }
        log.debug("relay {}: engine stream ended", ticket.id());
        if (!ended.get()) {
            endAfterExit();
        }
    }

    /** The stream ended: the process exited, its container stopped, or the engine went away. */
    private void endAfterExit() {
        try {
            Integer exitCode = exitCode();
            boolean stopped = containerStopped(exitCode);
            containerStopped = stopped;
            end(Close.exited(exitCode, stopped));
        } catch (PortholeException e) {
            end(new Close(Problem.ENGINE_FAILED, "the engine went away: " + e.getMessage(), Ending.ERROR));
        }
    }

    private void copyOutput(ExecStream output) throws IOException {
        byte[] buffer = new byte[MIN_READ_BUFFER];
        int n;
        while ((n = output.read(buffer)) != -1) {
            if (outputRead(buffer, n)) {
                sendToClient(buffer, n);
            }
            buffer = resized(buffer, n);
        }
    }

    /** Counts and records output as read, whoever read it; answers whether the client is still to get it. */
    private boolean outputRead(byte[] bytes, int length) {
        bytesOut.addAndGet(length);
        watch.output(bytes, 0, length);
        return length > 0 && !ended.get();
    }

    /**
     * A full read doubles the buffer: output is streaming, and fewer, larger frames cost less per byte. A read of
     * less than an eighth of it goes back to the smallest, so that a terminal that waits for input holds little.
     */
    private static byte[] resized(byte[] buffer, int read) {
        if (read == buffer.length && buffer.length < MAX_READ_BUFFER) {
            return new byte[buffer.length * 2];
        }
        if (read < buffer.length / 8 && buffer.length > MIN_READ_BUFFER) {
            return new byte[MIN_READ_BUFFER];
        }
        return buffer;
    }

    private void sendToClient(byte[] bytes, int length) throws ClientGone {
        try {
            client.output(bytes, 0, length);
        } catch (IOException | RuntimeException e) {
            throw new ClientGone(e);
        }
    }

    private void endClientOutput() throws ClientGone {
        if (ended.get()) {
            return;
        }
        try {
            client.outputEnded();
        } catch (IOException | RuntimeException e) {
            throw new ClientGone(e);
        }
    }

    /**
     * Keystrokes from the client, a part of one of its messages ({@code last}: the message's end); blocks until the
     * terminal has its first size (a command typed at once must not see a 0x0 terminal), and while the process is
     * not reading them.
     */
    public void input(byte[] bytes, boolean last) {
        try {
            sized.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        ExecStream stream = started.getNow(null);
        if (ended.get() || stream == null) {
            return;
        }
        try {
            stream.write(bytes);
            bytesIn.addAndGet(bytes.length);
            watch.input(bytes.length);
            if (last) {
                stream.endOfMessage();
            }
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
            engine.resize(ticket.awaitEngineExecId(), applied.rows(), applied.cols());
            watch.resized(applied);
        } while (desiredSize.get() != applied);
    }

    /**
     * Whether the process ended because its container stopped. The engine records the exec's exit a moment
     * before the container's, so a death by signal (128 and up: 137 for a kill, 143 for a stop) is given a
     * second for the container's state to follow; an ordinary exit is not delayed.
     */
    private boolean containerStopped(Integer exitCode) {
        int checks = exitCode == null || exitCode >= 128 ? 20 : 1;
        for (int i = 0; i < checks; i++) {
            if (!engine.isRunning(ticket.container())) {
                return true;
            }
            if (i + 1 < checks) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** Waits for the engine to record the exit code; throws when the engine cannot be asked. */
    private Integer exitCode() {
        String execId = ticket.awaitEngineExecId();
        return ExecState.awaitEnd(() -> engine.inspect(execId), System.nanoTime() + EXIT_PATIENCE).exitCode();
    }

    /** The client closed its socket. */
    public void clientClosed() {
        end(Close.clientClosed());
    }

    /** The client's connection broke, or it stopped reading or answering, as {@code reason} says. */
    public void clientGone(String reason) {
        end(Close.clientGone(reason));
    }

    /** Ends the session once; later calls do nothing. Never blocks on the engine. */
    void end(Close close) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        Ending why = close.why();
        watch.ended(why, close.exitCode(), bytesIn.get(), bytesOut.get());
        running = false;
        sized.countDown();
        client.close(close.problem(), close.reason());
        onEnd.accept(this);
        log.debug("terminal {} ended ({}, {} {}): {} bytes in, {} bytes out", ticket.id(), why, close.code(),
                close.reason(), bytesIn.get(), bytesOut.get());
        started.thenAccept(stream -> {
            if (stream == null) {
                finished.complete(null);
                return;
            }
            stream.endInput(); // the shell reads end of input, and the engine can finish the attachment
            if (containerStopped) {
                stream.close(); // the container took every process with it
                finished.complete(null);
                return;
            }
            try {
                reaper.endProcesses(engine, ticket, why == Ending.EXIT, () -> {
                    log.debug("relay {}: processes ended, closing the engine stream", ticket.id());
                    stream.close();
                    finished.complete(null);
                });
            } catch (RuntimeException e) {
                stream.close(); // the engine threads are shut down: drop the connection at least
                finished.complete(null);
            }
        });
    }

    /** See {@link #finished}; only meaningful after {@link #end}. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    int environmentId() {
        return ticket.environment().id();
    }

    /**
     * Output read by a selector thread, sent without waiting: the selector reads this stream again once the client
     * has it. Whatever may block (a client that failed, asking the engine how the process ended) goes to a relay
     * thread.
     */
    private final class SelectedOutput implements OutputSelectors.Output {
        @Override
        public void read(byte[] bytes, Runnable sent) {
            if (!outputRead(bytes, bytes.length)) {
                return;
            }
            try {
                client.output(bytes, failure -> {
                    if (failure == null) {
                        sent.run();
                    } else {
                        offSelector(() -> outputEnded(new ClientGone(failure)));
                    }
                });
            } catch (RuntimeException e) {
                offSelector(() -> outputEnded(new ClientGone(e)));
            }
        }

        @Override
        public void ended(IOException failure) {
            offSelector(() -> outputEnded(failure));
        }

        private void offSelector(Runnable work) {
            try {
                relayThreads.execute(work);
            } catch (RejectedExecutionException e) {
                // shutting down: every terminal was ended first
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
