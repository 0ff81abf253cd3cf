package dev.porthole.terminal;

import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.docker.ExecState;
import dev.porthole.docker.ExecStream;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The fakes a terminal's state machine is tested with: an engine whose start and stream the test drives, a sink. */
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

    static TerminalSpec spec(String id, SignedInUser owner) {
        return new TerminalSpec(id, ENVIRONMENT, EngineExecId.known("engine-" + id), owner, credential(owner),
                "127.0.0.1", "web", "/bin/sh", "root", "tag-" + id, System.nanoTime());
    }

    /**
     * The table of a test: its terminals are on {@link #ENVIRONMENT}, whose engine is {@code engine}; no output
     * selectors, so each terminal's output is pumped by a relay thread from {@code threads}.
     */
    static Terminals terminals(Engine engine, Duration attachTimeout, ExecutorService threads,
            ScheduledExecutorService timer) {
        TerminalStarts starts = new TerminalStarts();
        Closing closing = new Closing();
        ProcessReaper reaper = new ProcessReaper(threads, 1, Duration.ZERO, Duration.ZERO, starts, closing);
        OutputSelectors none = new OutputSelectors(0, Thread::new);
        return new Terminals(attachTimeout, timer, new EndedCredentials(Duration.ofMinutes(1), System::nanoTime),
                new Environments(Map.of(ENVIRONMENT.id(), ENVIRONMENT), environment -> engine), closing,
                new TerminalParts(reaper, starts, threads, none, TerminalObserver.NONE));
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("no " + what + " within " + PATIENCE);
        }
    }

    /**
     * An engine whose exec start waits until the test lets it ({@link #startOpen}) and then answers {@link #stream},
     * or the refusal in {@link #refusal}; it records resizes and sweeps, and says the exec exited with {@link #exit}.
     */
    static final class Engine extends StubEngine {
        final CountDownLatch startOpen = new CountDownLatch(1);
        final CountDownLatch startAsked = new CountDownLatch(1);
        final Stream stream = new Stream();
        final List<TerminalSize> resizes = Collections.synchronizedList(new ArrayList<>());
        final List<String> sweptAs = Collections.synchronizedList(new ArrayList<>());
        volatile PortholeException refusal;
        volatile int exit;
        volatile boolean containerRuns = true;

        /** An engine whose exec start answers at once. */
        Engine() {
            this(false);
        }

        /** {@code held}: its exec start waits until the test counts {@link #startOpen} down. */
        Engine(boolean held) {
            super(ENVIRONMENT);
            if (!held) {
                startOpen.countDown();
            }
        }

        @Override
        public ExecStream startTty(String execId) {
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
        public void resize(String execId, int rows, int cols) {
            resizes.add(new TerminalSize(rows, cols));
        }

        @Override
        public ExecState inspect(String execId) {
            return new ExecState(false, exit);
        }

        @Override
        public boolean isRunning(String container) {
            return containerRuns;
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
