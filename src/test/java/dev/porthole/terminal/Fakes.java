package dev.porthole.terminal;

import dev.porthole.docker.EngineExec;
import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.docker.ExecState;
import dev.porthole.docker.ExecStream;
import dev.porthole.docker.ProcessMark;
import dev.porthole.docker.StubEngine;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.security.SignedInUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The fakes a terminal's state machine is tested with: its exec, whose start and stream the test drives; the engine,
 * which only sweeps and says whether the container runs; a sink.
 */
final class Fakes {
    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final Environment ENVIRONMENT = new Environment(1, "test", URI.create("unix:///nowhere.sock"),
            Duration.ofSeconds(1), Duration.ofSeconds(1));
    static final SignedInUser ALICE = new SignedInUser("alice", Set.of("porthole-exec"));
    static final SignedInUser BOB = new SignedInUser("bob", Set.of("porthole-exec"));

    private Fakes() {
    }

    static String credential(SignedInUser user) {
        return "session:" + user.name();
    }

    /** A terminal of {@code owner}'s whose exec starts at once. */
    static TerminalSpec spec(String id, SignedInUser owner) {
        return spec(id, owner, new Exec());
    }

    static TerminalSpec spec(String id, SignedInUser owner, Exec exec) {
        return new TerminalSpec(id, ENVIRONMENT, exec, owner, credential(owner), "127.0.0.1", "web", "/bin/sh", "root",
                exec.processTag, System.nanoTime(), false);
    }

    /**
     * The table of a test: its terminals are on {@link #ENVIRONMENT}, whose engine is {@code engine}; no output
     * selectors, so each terminal's output is pumped by a relay thread from {@code threads}.
     */
    static Terminals terminals(Engine engine, Duration attachTimeout, ExecutorService threads,
            ScheduledExecutorService timer) {
        return terminals(engine, attachTimeout, threads, timer, TerminalDirectory.NONE);
    }

    /** The table of a test whose node shares its terminals through {@code directory}. */
    static Terminals terminals(Engine engine, Duration attachTimeout, ExecutorService threads,
            ScheduledExecutorService timer, TerminalDirectory directory) {
        TerminalStarts starts = new TerminalStarts();
        Closing closing = new Closing();
        ProcessReaper reaper = new ProcessReaper(threads, 1, Duration.ZERO, Duration.ZERO, starts, closing);
        OutputSelectors none = new OutputSelectors(0, Thread::new);
        return new Terminals(attachTimeout, timer, new EndedCredentials(Duration.ofMinutes(1), System::nanoTime),
                new Environments(Map.of(ENVIRONMENT.id(), ENVIRONMENT), environment -> engine), closing,
                new TerminalParts(reaper, starts, threads, none, TerminalObserver.NONE, ProcessLedger.NONE), directory);
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("no " + what + " within " + PATIENCE);
        }
    }

    /**
     * A terminal's exec whose start waits until the test lets it ({@link #startOpen}) and then answers {@link #stream},
     * or the refusal in {@link #refusal}, which its process mark throws too; it records resizes, and says the process
     * exited with {@link #exit}. Its processes are marked with its tag, or {@link #mark} when that is set.
     */
    static final class Exec implements EngineExec {
        final String processTag = UUID.randomUUID().toString().replace("-", "");
        final CountDownLatch startOpen = new CountDownLatch(1);
        final CountDownLatch startAsked = new CountDownLatch(1);
        final Stream stream = new Stream();
        final List<TerminalSize> resizes = Collections.synchronizedList(new ArrayList<>());
        volatile PortholeException refusal;
        volatile int exit;
        volatile ProcessMark mark;

        /** An exec whose start answers at once. */
        Exec() {
            this(false);
        }

        /** {@code held}: its start waits until the test counts {@link #startOpen} down. */
        Exec(boolean held) {
            if (!held) {
                startOpen.countDown();
            }
        }

        @Override
        public CompletionStage<Void> created() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public ExecStream start() {
            startAsked.countDown();
            try {
                startOpen.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (refusal != null) {
                throw refusal;
            }
            return stream;
        }

        @Override
        public void resize(int rows, int cols) {
            resizes.add(new TerminalSize(rows, cols));
        }

        @Override
        public ExecState inspect() {
            return new ExecState(false, exit);
        }

        @Override
        public ProcessMark processMark() {
            if (refusal != null) {
                throw refusal;
            }
            return mark != null ? mark : ProcessMark.tagged(processTag);
        }
    }

    /**
     * An engine that records the sweeps asked of it, says whether the container runs ({@link #containerRuns}), and
     * hands {@link #adoptable} to a node adopting another node's exec instance (refusing, as an agent's engine, while
     * it is null).
     */
    static final class Engine extends StubEngine {
        final List<String> sweptAs = Collections.synchronizedList(new ArrayList<>());
        volatile boolean containerRuns = true;
        volatile EngineExec adoptable;

        Engine() {
            super(ENVIRONMENT);
        }

        @Override
        public boolean isRunning(String container) {
            return containerRuns;
        }

        @Override
        public EngineExec adoptTerminalExec(String container, String shell, String user,
                CompletionStage<String> engineExecId, String processTag) {
            return adoptable != null ? adoptable
                    : super.adoptTerminalExec(container, shell, user, engineExecId, processTag);
        }

        @Override
        public Captured capture(String container, List<String> cmd, String user, Duration timeout, int maxBytes) {
            sweptAs.add(user);
            return new Captured(0, "");
        }

        @Override
        public Integer run(String container, List<String> cmd, String user, Duration timeout) {
            sweptAs.add(user);
            return 0;
        }
    }

    /** The exec's stream: output the test puts, keystrokes it can read, and whether it was closed. */
    static final class Stream implements ExecStream {
        private static final byte[] END = new byte[0];
        final BlockingQueue<byte[]> output = new LinkedBlockingQueue<>();
        final ByteArrayOutputStream input = new ByteArrayOutputStream();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean inputEnded;

        void print(String text) {
            output.add(text.getBytes());
        }

        void exit() {
            output.add(END);
        }

        @Override
        public int read(byte[] buffer) throws IOException {
            try {
                byte[] next = output.take();
                if (next == END) {
                    output.add(END);
                    return -1;
                }
                System.arraycopy(next, 0, buffer, 0, next.length);
                return next.length;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }

        @Override
        public synchronized void write(byte[] bytes) {
            input.writeBytes(bytes);
        }

        synchronized String typed() {
            return input.toString();
        }

        @Override
        public void endInput() {
            inputEnded = true;
        }

        @Override
        public void close() {
            exit();
            closed.countDown();
        }
    }

    /** A client that records what it got: output, the end of output, and every close. */
    static final class Sink implements TerminalSink {
        final StringBuilder output = new StringBuilder();
        final List<String> closes = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch closed = new CountDownLatch(1);
        volatile boolean outputEnded;

        @Override
        public synchronized void output(byte[] bytes, int offset, int length) {
            output.append(new String(bytes, offset, length));
        }

        @Override
        public void output(byte[] bytes, Consumer<Throwable> sent) {
            output(bytes, 0, bytes.length);
            sent.accept(null);
        }

        @Override
        public void outputEnded() {
            outputEnded = true;
        }

        @Override
        public void close(Problem problem, String reason) {
            closes.add(problem.closeCode() + " " + reason);
            closed.countDown();
        }

        synchronized String output() {
            return output.toString();
        }
    }
}
