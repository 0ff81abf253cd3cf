package dev.porthole.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.docker.Environment;
import dev.porthole.docker.ProcessMark;
import dev.porthole.docker.ReapScript;
import dev.porthole.docker.StubEngine;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.security.SignedInUser;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How ended terminals are swept, against an engine that records the short execs asked of it: how many, as whom, with
 * which tags, and when. No assertion depends on how fast this machine is: orderings, counts and lower bounds only.
 */
class ProcessReaperTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Environment ENVIRONMENT = new Environment(1, "test", URI.create("unix:///nowhere.sock"),
            Duration.ofSeconds(1), Duration.ofSeconds(1));
    private static final SignedInUser ALICE = new SignedInUser("alice", Set.of("porthole-exec"));

    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final TerminalStarts starts = new TerminalStarts();
    private final Closing closing = new Closing();
    private final RecordingEngine engine = new RecordingEngine();
    private final AtomicInteger ids = new AtomicInteger();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private ProcessReaper reaper(int sweepsPerEngine, Duration maxDefer) {
        return new ProcessReaper(threads, sweepsPerEngine, Duration.ZERO, maxDefer, starts, closing);
    }

    private TerminalSpec spec(String container, String user) {
        return spec(container, "/bin/sh", user, new Fakes.Exec());
    }

    private TerminalSpec spec(String container, String shell, String user, Fakes.Exec exec) {
        return new TerminalSpec("t" + ids.incrementAndGet(), ENVIRONMENT, exec, ALICE, "session", "127.0.0.1",
                container, shell, user, exec.processTag, System.nanoTime(), false);
    }

    /** Ends {@code ticket}'s processes; the latch opens when its {@code then} ran. */
    private CountDownLatch end(ProcessReaper reaper, TerminalSpec ticket) {
        CountDownLatch done = new CountDownLatch(1);
        reaper.endProcesses(engine, ticket, false, done::countDown);
        return done;
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "not done within " + PATIENCE);
    }

    @Test
    void aRootTerminalCostsOneExecAsItsUser() throws Exception {
        TerminalSpec root = spec("web", "root");
        await(end(reaper(1, Duration.ZERO), root));
        assertEquals(1, engine.calls.size());
        Call call = engine.calls.get(0);
        assertEquals("root", call.user);
        assertEquals("root", call.mode());
        assertEquals(List.of(root.processTag()), call.tags());
    }

    @Test
    void endingsOnOneContainerWhileASweepRunsShareTheNextExec() throws Exception {
        List<TerminalSpec> later = endWhileASweepRuns(5);
        assertEquals(2, engine.calls.size(), "one exec for the first ending, one for the five that came during it");
        assertEquals(later.stream().map(TerminalSpec::processTag).toList(), engine.calls.get(1).tags());
    }

    /** Ends one root terminal of "web", and {@code count} more while its sweep is held; answers once all are done. */
    private List<TerminalSpec> endWhileASweepRuns(int count) throws Exception {
        ProcessReaper reaper = reaper(1, Duration.ZERO);
        engine.hold();
        CountDownLatch first = end(reaper, spec("web", "root"));
        engine.awaitHeld();
        List<TerminalSpec> later = new ArrayList<>();
        List<CountDownLatch> done = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TerminalSpec t = spec("web", "root");
            later.add(t);
            done.add(end(reaper, t));
        }
        engine.release();
        await(first);
        for (CountDownLatch latch : done) {
            await(latch);
        }
        return later;
    }

    @Test
    void differentContainersAndUsersAreSweptApart() throws Exception {
        ProcessReaper reaper = reaper(1, Duration.ZERO);
        engine.hold();
        CountDownLatch first = end(reaper, spec("web", "root"));
        engine.awaitHeld();
        CountDownLatch db = end(reaper, spec("db", "root"));
        CountDownLatch webAs33 = end(reaper, spec("web", "33"));
        engine.release();
        await(first);
        await(db);
        await(webAs33);
        assertEquals(List.of("web", "db", "web"), engine.calls.stream().map(c -> c.container).toList());
        assertEquals(List.of("root", "root", "33"), engine.calls.stream().map(c -> c.user).toList());
    }

    @Test
    void noMoreSweepsRunAtOnceOnAnEngineThanItsShare() throws Exception {
        ProcessReaper reaper = reaper(2, Duration.ZERO);
        List<CountDownLatch> done = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            done.add(end(reaper, spec("c" + i, "root")));
        }
        for (CountDownLatch latch : done) {
            await(latch);
        }
        assertEquals(12, engine.calls.size());
        assertTrue(engine.mostAtOnce.get() <= 2, "at most 2 at once, saw " + engine.mostAtOnce.get());
    }

    @Test
    void aSweepWaitsForTheStartsOnItsEngine() throws Exception {
        ProcessReaper reaper = reaper(1, Duration.ofHours(1));
        TerminalStarts.Start start = starts.begin(ENVIRONMENT);
        CountDownLatch done = end(reaper, spec("web", "root"));
        assertFalse(done.await(300, TimeUnit.MILLISECONDS), "swept while a terminal was starting");
        long startDone = System.nanoTime();
        start.done();
        await(done);
        assertTrue(engine.calls.get(0).at >= startDone, "swept before the start was done");
    }

    @Test
    void aSweepWaitsForStartsNoLongerThanMaxDefer() throws Exception {
        Duration maxDefer = Duration.ofMillis(300);
        ProcessReaper reaper = reaper(1, maxDefer);
        starts.begin(ENVIRONMENT); // never done
        long queued = System.nanoTime();
        await(end(reaper, spec("web", "root")));
        assertTrue(engine.calls.get(0).at - queued >= maxDefer.toNanos(), "swept before its deferral was over");
    }

    @Test
    void aSweepLetsItsTerminalsSettleFirstAndGathersTheEndingsOfThatTime() throws Exception {
        Duration settle = Duration.ofMillis(300);
        ProcessReaper reaper = new ProcessReaper(threads, 1, settle, settle, starts, closing);
        long queued = System.nanoTime();
        CountDownLatch first = end(reaper, spec("web", "root"));
        CountDownLatch second = end(reaper, spec("web", "root"));
        await(first);
        await(second);
        assertEquals(1, engine.calls.size(), "both endings in one exec");
        assertTrue(engine.calls.get(0).at - queued >= settle.toNanos(), "swept before its terminals settled");
    }

    @Test
    void aSweepDoesNotSettleWhileACreateWaitsForClosingTerminals() throws Exception {
        ProcessReaper reaper = new ProcessReaper(threads, 1, Duration.ofHours(1), Duration.ofHours(1), starts, closing);
        sweptWhileACreateWaitsForClosingTerminals(reaper);
    }

    @Test
    void aSweepDoesNotWaitForStartsWhileACreateWaitsForClosingTerminals() throws Exception {
        ProcessReaper reaper = reaper(1, Duration.ofHours(1));
        starts.begin(ENVIRONMENT); // never done: waiting for it would take the hour
        sweptWhileACreateWaitsForClosingTerminals(reaper);
    }

    /** Ends a terminal while an exec create waits for closing terminals; returns once it was swept. */
    private void sweptWhileACreateWaitsForClosingTerminals(ProcessReaper reaper) throws Exception {
        closing.started();
        Thread create = new Thread(() -> closing.awaitBelow(1, Duration.ofHours(1)));
        create.start();
        while (!closing.waitedFor()) {
            Thread.sleep(10);
        }
        try {
            await(end(reaper, spec("web", "root")));
        } finally {
            closing.finished();
            create.join();
        }
    }

    @Test
    void aUsersSweepThatFindsNothingOfAnotherUserIsTheOnlyExec() throws Exception {
        engine.printed = call -> "";
        TerminalSpec t = spec("web", "www-data");
        await(end(reaper(1, Duration.ZERO), t));
        assertEquals(1, engine.calls.size());
        Call call = engine.calls.get(0);
        assertEquals("www-data", call.user);
        assertEquals("user", call.mode());
        assertTrue(Long.parseLong(call.args.get(4)) >= 0, "the terminal's age, in hundredths: " + call.args.get(4));
    }

    @Test
    void aUsersSweepThatFindsAnotherUsersProcessesHandsTheirSessionsToRoot() throws Exception {
        engine.printed = call -> call.mode().equals("user") ? ReapScript.NEEDS_ROOT + "  17 23 \n" : "";
        TerminalSpec t = spec("web", "www-data");
        await(end(reaper(1, Duration.ZERO), t));
        assertEquals(2, engine.calls.size());
        Call root = engine.calls.get(1);
        assertEquals("0", root.user);
        assertEquals("root", root.mode());
        assertEquals("17 23", root.args.get(5));
        assertEquals(List.of(t.processTag()), root.tags());
    }

    @Test
    void aUserTheSweepCannotRunAsLeavesItToRoot() throws Exception {
        engine.failAs = "nobody-here";
        await(end(reaper(1, Duration.ZERO), spec("web", "nobody-here")));
        Call last = engine.calls.get(engine.calls.size() - 1);
        assertEquals("0", last.user);
        assertEquals("root", last.mode());
    }

    @Test
    void aShellThatCannotRunTheSweepIsFollowedByBinSh() throws Exception {
        engine.failShell = "/usr/bin/fish";
        TerminalSpec t = spec("web", "/usr/bin/fish", "root", new Fakes.Exec());
        await(end(reaper(1, Duration.ZERO), t));
        assertEquals(List.of("/usr/bin/fish", "/bin/sh"), engine.calls.stream().map(c -> c.shell).toList());
    }

    @Test
    void aBatchHoldsAtMostMaxBatchTags() throws Exception {
        endWhileASweepRuns(ReapQueue.MAX_BATCH + 1);
        assertEquals(List.of(1, ReapQueue.MAX_BATCH, 1), engine.calls.stream().map(c -> c.tags().size()).toList());
    }

    @Test
    void everyThenRunsWhenTheEngineFails() throws Exception {
        engine.failAs = "root";
        await(end(reaper(1, Duration.ZERO), spec("web", "root")));
    }

    @Test
    void aTerminalWithoutAnExecInstanceNeedsNoSweep() throws Exception {
        Fakes.Exec refused = new Fakes.Exec();
        refused.refusal = new PortholeException(Problem.NOT_FOUND, "no such container");
        await(end(reaper(1, Duration.ZERO), spec("gone", "/bin/sh", "root", refused)));
        assertEquals(0, engine.calls.size());
    }

    @Test
    void anEdgeTerminalsSessionIsEndedByOneExecAsRoot() throws Exception {
        Fakes.Exec edge = new Fakes.Exec();
        edge.mark = ProcessMark.session(42, "12345");
        await(end(reaper(1, Duration.ZERO), spec("web", "/bin/sh", "www-data", edge)));
        assertEquals(1, engine.calls.size());
        Call call = engine.calls.get(0);
        assertEquals("0", call.user);
        assertEquals(ReapScript.session(edge.mark), call.args);
        assertEquals(List.of("session", "12345", "42"), call.args.subList(3, 6));
    }

    /** One short exec asked of the engine: {@code args} are what follows the shell. */
    private record Call(String container, String shell, List<String> args, String user, long at) {
        String mode() {
            return args.get(3);
        }

        List<String> tags() {
            return args.subList(6, args.size());
        }
    }

    /** Records every run and capture; can hold them until released, and fail for one user or shell. */
    private static final class RecordingEngine extends StubEngine {
        final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        volatile Function<Call, String> printed = call -> "";
        volatile String failAs;
        volatile String failShell;
        private volatile CountDownLatch held;
        private final CountDownLatch holding = new CountDownLatch(1);

        RecordingEngine() {
            super(ENVIRONMENT);
        }

        void hold() {
            held = new CountDownLatch(1);
        }

        void awaitHeld() throws InterruptedException {
            assertTrue(holding.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }

        void release() {
            CountDownLatch h = held;
            held = null;
            h.countDown();
        }

        private Call record(String container, List<String> cmd, String user) {
            Call call = new Call(container, cmd.get(0), List.copyOf(cmd.subList(1, cmd.size())), user, System.nanoTime());
            calls.add(call);
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                CountDownLatch h = held;
                if (h != null) {
                    holding.countDown();
                    h.await();
                }
                Thread.sleep(5); // long enough for another sweep to overlap, were two allowed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            if (user.equals(failAs) || cmd.get(0).equals(failShell)) {
                throw new PortholeException(Problem.ENGINE_FAILED, "unable to find user or shell");
            }
            return call;
        }

        @Override
        public Integer run(String container, List<String> cmd, String user, Duration timeout) {
            record(container, cmd, user);
            return 0;
        }

        @Override
        public Captured capture(String container, List<String> cmd, String user, Duration timeout, int maxBytes) {
            return new Captured(0, printed.apply(record(container, cmd, user)));
        }
    }
}
