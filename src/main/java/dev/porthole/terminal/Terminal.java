package dev.porthole.terminal;

import dev.porthole.docker.AgentGone;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ExecStream;
import dev.porthole.error.Causes;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal, from its exec create to its end, always in one {@link State}; every change of state is made under
 * its lock and told to the table ({@link StateListener}). Once a client attached ({@link #claim}), a terminal thread
 * starts the exec ({@link #start}) and pumps its output to the client, or hands it to a selector thread; the
 * client's keystrokes arrive on container threads through {@link #input}. Whoever ends the terminal first (the
 * process exiting, the client closing, a sign-out, shutdown) wins {@link #end}, which decides what the end means:
 * it closes the client, and once the exec has started, ends its processes and drops the engine connection.
 */
public final class Terminal {
    private static final Logger log = LoggerFactory.getLogger(Terminal.class);

    /** Where a terminal is in its life; it only ever moves down this list. */
    enum State {
        /** Created; its exec instance waits for a client to attach, until the attach timeout. */
        WAITING,
        /** A client attached; the exec is being started. */
        STARTING,
        /** The exec runs: its output goes to the client, resizes go to the engine. */
        RUNNING,
        /** Over: nothing more happens to it. */
        ENDED
    }

    /** Told of every change of state, under the terminal's lock: the table keeps its counts by it. */
    interface StateListener {
        void moved(Terminal terminal, State from, State to);
    }

    /** What an attach gives a terminal, set once when it leaves {@link State#WAITING}. */
    private record Attached(TerminalSink client, DockerEngine engine, TerminalObserver.Watch watch) {
    }

    private final TerminalSpec spec;
    private final TerminalParts parts;
    private final StateListener listener;
    private final Object lock = new Object();
    /** Changed under {@link #lock} only; read without it where a moment's staleness does no harm (counts). */
    private volatile State state = State.WAITING;
    /** The newest size the client asked for, before or after the attach; guarded by {@link #lock}. */
    private TerminalSize size = TerminalSize.DEFAULT;
    private volatile Attached attached;
    /** The exec's stream once started; null when it could not be started. */
    private final CompletableFuture<ExecStream> started = new CompletableFuture<>();
    /** Completes once the terminal no longer uses its engine: its processes were ended and its stream closed. */
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final InputGate sized = new InputGate();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    /** Set under {@link #lock} when it ended by {@link #drop}: another node counts it and runs it. */
    private boolean dropped;
    /** Set before the end when the process ended because its container stopped: nothing of it is left to end. */
    private volatile boolean containerStopped;

    Terminal(TerminalSpec spec, TerminalParts parts, StateListener listener) {
        this.spec = spec;
        this.parts = parts;
        this.listener = listener;
    }

    public String id() {
        return spec.id();
    }

    TerminalSpec spec() {
        return spec;
    }

    State state() {
        return state;
    }

    /** Whether it was created with {@code credential}: only that credential may attach it, resize it, end it. */
    boolean ownedBy(String credential) {
        return spec.ownedBy(credential);
    }

    /** Whether a client is attached and the terminal has not ended. */
    boolean open() {
        State now = state;
        return now == State.STARTING || now == State.RUNNING;
    }

    /** Whether it still waits for its client at {@code now} (nanoTime), which is no later than the attach timeout. */
    boolean waiting(long now, Duration attachTimeout) {
        return state == State.WAITING && now - spec.createdNanos() <= attachTimeout.toNanos();
    }

    /**
     * The one attach: a terminal waiting within its attach timeout, for {@code credential}, moves to
     * {@link State#STARTING} with {@code client} and {@code engine}; answers false, changing nothing, otherwise.
     */
    boolean claim(String credential, TerminalSink client, DockerEngine engine, long now, Duration attachTimeout) {
        synchronized (lock) {
            if (!ownedBy(credential) || !waiting(now, attachTimeout)) {
                return false;
            }
            attached = new Attached(client, engine, SafeWatch.start(parts.observer(), spec));
            move(State.STARTING);
            return true;
        }
    }

    /** Ends a terminal whose client never came within {@code attachTimeout}; the engine collects its exec instance. */
    void expire(long now, Duration attachTimeout) {
        synchronized (lock) {
            if (state != State.WAITING || waiting(now, attachTimeout)) {
                return;
            }
            move(State.ENDED);
        }
    }

    /**
     * Forgets a waiting terminal that another node claimed and runs: nothing of it is ended there, since the exec
     * instance is that node's now.
     */
    void drop() {
        synchronized (lock) {
            if (state == State.WAITING) {
                dropped = true;
                move(State.ENDED);
            }
        }
    }

    /** Whether it ended by {@link #drop}; called under its lock, by the table's {@link StateListener}. */
    boolean dropped() {
        return dropped;
    }

    /** Changes the state; under {@link #lock}. */
    private void move(State to) {
        State from = state;
        state = to;
        listener.moved(this, from, to);
    }

    /**
     * Starts the exec, on a terminal thread; then pumps its output there for the life of the terminal, or hands the
     * stream to a selector thread and returns.
     */
    void start() {
        Attached client = attached;
        // Until the first size reached the engine: sweeps of ended terminals wait for it (ProcessReaper).
        TerminalStarts.Start start = parts.starts().begin(spec.environment());
        ExecStream stream;
        try {
            stream = spec.exec().start();
        } catch (PortholeException e) {
            start.done();
            started.complete(null);
            end(Close.failed(e));
            return;
        }
        Output output = new Output();
        Optional<OutputSelectors.WatchedStream> watched = watchable(stream);
        if (watched.isPresent()) {
            // From here the output goes to the client on a selector thread, the prompt first, while this thread
            // records the process: in a cluster that is a write to the grid, which the prompt need not wait for.
            stream = watched.get();
            watched.get().watch(new SelectedPump(client.client(), output, parts.terminalThreads()));
        }
        // Before anyone can end it (end() waits for the stream): its removal, after the sweep, comes after this.
        ledger().started(new RunningProcess(spec.id(), spec.environment().id(), spec.container(), spec.user(),
                spec.shell(), spec.processMark(), spec.owner().name(), System.currentTimeMillis()));
        started.complete(stream);
        synchronized (lock) {
            if (state != State.STARTING) {
                start.done();
                return; // ended while the exec was starting; end() takes it from here
            }
            move(State.RUNNING);
        }
        // Not on this thread: the engine holds a resize until the process is ready (up to 10 s when it never
        // is), and the output, an error message perhaps, must not wait for that.
        try {
            parts.terminalThreads().execute(() -> {
                try {
                    applySize();
                } catch (PortholeException e) {
                    log.debug("initial resize of {} failed: {}", spec.id(), e.getMessage());
                } finally {
                    start.done();
                    sized.open();
                }
            });
        } catch (RejectedExecutionException e) {
            start.done(); // shutting down: every terminal is being ended
            sized.open();
        }
        if (watched.isEmpty()) {
            BlockingPump.run(stream, client.client(), output);
        }
    }

    private Optional<OutputSelectors.WatchedStream> watchable(ExecStream stream) {
        try {
            return parts.selectors().watchable(stream);
        } catch (IOException e) {
            // the connection broke already: the blocking read finds that out and ends the terminal
            log.debug("relay {}: cannot watch the engine stream: {}", spec.id(), e.toString());
            return Optional.empty();
        }
    }

    /**
     * Keystrokes from the client, a part of one of its messages ({@code last}: the message's end); blocks until the
     * terminal has its first size, and while the process is not reading them.
     */
    public void input(byte[] bytes, boolean last) {
        if (!sized.await()) {
            return;
        }
        ExecStream stream = started.getNow(null);
        if (state == State.ENDED || stream == null) {
            return;
        }
        try {
            stream.write(bytes);
            bytesIn.addAndGet(bytes.length);
            attached.watch().input(bytes.length);
            if (last) {
                stream.endOfMessage();
            }
        } catch (IOException closed) {
            // the terminal ended while the client was still typing: nothing will read it
        }
    }

    /** Records the newest size the client asked for, and applies it if the process runs; else the start will. */
    void resize(TerminalSize requested) {
        boolean running;
        synchronized (lock) {
            if (state == State.ENDED) {
                return;
            }
            size = requested;
            running = state == State.RUNNING;
        }
        if (running) {
            applySize();
        }
    }

    private TerminalSize size() {
        synchronized (lock) {
            return size;
        }
    }

    /**
     * Applies the newest requested size. Two resizes racing may reach the engine out of order, so the loop
     * repeats until the size it applied is still the newest one.
     */
    private void applySize() {
        Attached client = attached;
        TerminalSize applied;
        do {
            applied = size();
            spec.exec().resize(applied.rows(), applied.cols());
            client.watch().resized(applied);
        } while (size() != applied);
    }

    /** The client closed its socket. */
    public void clientClosed() {
        end(Close.clientClosed());
    }

    /** The client's connection broke, or it stopped reading or answering, as {@code reason} says. */
    public void clientGone(String reason) {
        end(Close.clientGone(reason));
    }

    /** Ends the terminal once, from whatever state; later calls do nothing. Never blocks on the engine. */
    void end(Close close) {
        State from;
        synchronized (lock) {
            from = state;
            if (from == State.ENDED) {
                return;
            }
            move(State.ENDED);
        }
        sized.open();
        if (from == State.WAITING) {
            return; // nobody attached, and the engine never started the exec: it collects the instance
        }
        Attached client = attached;
        client.watch().ended(close.why(), close.exitCode(), bytesIn.get(), bytesOut.get());
        client.client().close(close.problem(), close.reason());
        log.debug("terminal {} ended ({}, {} {}): {} bytes in, {} bytes out", spec.id(), close.why(), close.code(),
                close.reason(), bytesIn.get(), bytesOut.get());
        started.thenAccept(stream -> endProcesses(client.engine(), stream, close.why()));
    }

    /** Where the cluster keeps the processes it must end should this node die: those of shared terminals only. */
    private ProcessLedger ledger() {
        return spec.shared() ? parts.ledger() : ProcessLedger.NONE;
    }

    private void endProcesses(DockerEngine engine, ExecStream stream, Ending why) {
        if (stream == null) {
            finished.complete(null);
            return;
        }
        stream.endInput(); // the shell reads end of input, and the engine can finish the attachment
        if (containerStopped) {
            ledger().ended(spec.id());
            stream.close(); // the container took every process with it
            finished.complete(null);
            return;
        }
        try {
            parts.reaper().endProcesses(engine, spec, why == Ending.EXIT, () -> {
                log.debug("relay {}: processes ended, closing the engine stream", spec.id());
                ledger().ended(spec.id());
                stream.close();
                finished.complete(null);
            });
        } catch (RuntimeException e) {
            // The engine threads are shut down: drop the connection at least. The ledger keeps the process, for
            // another node to end once this one has left.
            stream.close();
            finished.complete(null);
        }
    }

    /** See {@link #finished}; only meaningful after {@link #end}. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    /** What the pumps report: output is counted and recorded as read; the end of the stream is worked out here. */
    private final class Output implements PumpListener {
        @Override
        public boolean read(byte[] bytes, int length) {
            bytesOut.addAndGet(length);
            attached.watch().output(bytes, 0, length);
            return length > 0 && state != State.ENDED;
        }

        /** The engine's stream ended ({@code failure} null) or failed; the client may have failed us meanwhile. */
        @Override
        public void ended(IOException failure) {
            if (failure == null) {
                failure = endClientOutput();
            }
            if (failure instanceof ClientGone) {
                end(Close.clientGone("client stopped reading"));
                return;
            }
            if (failure != null) {
                log.debug("relay {}: engine stream failed: {}", spec.id(), failure.toString());
                end(new Close(Problem.ENGINE_FAILED, "the engine went away: " + Causes.of(failure),
                        failure instanceof AgentGone ? Ending.AGENT_LOST : Ending.ERROR));
                return;
            }
            log.debug("relay {}: engine stream ended", spec.id());
            if (state != State.ENDED) {
                endAfterExit();
            }
        }

        /** Sends what the client's frames held back; answers the failure of a client that could not take it. */
        private ClientGone endClientOutput() {
            if (state == State.ENDED) {
                return null;
            }
            try {
                attached.client().outputEnded();
                return null;
            } catch (IOException | RuntimeException e) {
                return new ClientGone(e);
            }
        }

        /** The stream ended: the process exited, its container stopped, or the engine went away. */
        private void endAfterExit() {
            try {
                ProcessEnd processEnd = ProcessEnd.of(attached.engine(), spec);
                containerStopped = processEnd.containerStopped();
                end(processEnd.close());
            } catch (PortholeException e) {
                end(new Close(Problem.ENGINE_FAILED, "the engine went away: " + e.getMessage(), Ending.ERROR));
            }
        }
    }
}
