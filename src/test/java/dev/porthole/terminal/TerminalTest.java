package dev.porthole.terminal;

import static dev.porthole.terminal.Fakes.ALICE;
import static dev.porthole.terminal.Fakes.PATIENCE;
import static dev.porthole.terminal.Fakes.await;
import static dev.porthole.terminal.Fakes.credential;
import static dev.porthole.terminal.Fakes.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A terminal's life against an exec and a client the test drives: sizes before and after the start, ends from every
 * state and racing with the start, each closing the client once and ending the processes once, if any ran. Nothing
 * here waits for a time to pass: each step waits for the event it needs.
 */
class TerminalTest {
    private static final TerminalSize SIZE = new TerminalSize(40, 120);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Fakes.Engine engine = new Fakes.Engine();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        threads.shutdownNow();
        timer.shutdownNow();
    }

    private Terminals terminals;

    /** A new table on {@link #engine}, kept in {@link #terminals}. */
    private Terminals terminals() {
        terminals = Fakes.terminals(engine, Duration.ofMinutes(1), threads, timer);
        return terminals;
    }

    /** A terminal of alice's running {@code exec} in a new table, attached to {@code client}. */
    private Terminal attach(Fakes.Exec exec, Fakes.Sink client) {
        terminals().add(spec("a1", ALICE, exec));
        return terminals.attach("a1", "1", Optional.empty(), ALICE, credential(ALICE), client);
    }

    private static void type(Terminal terminal, String keys) {
        terminal.input(keys.getBytes(), true);
    }

    private static void awaitFinished(Terminal terminal) throws Exception {
        terminal.finished().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aSizeAskedBeforeTheAttachReachesTheEngineBeforeTheFirstKeystroke() {
        Fakes.Exec exec = new Fakes.Exec();
        terminals().add(spec("a1", ALICE, exec));
        terminals.resize("a1", "1", credential(ALICE), SIZE);
        Terminal terminal = terminals.attach("a1", "1", Optional.empty(), ALICE, credential(ALICE), new Fakes.Sink());
        type(terminal, "stty size\n"); // waits for the first size
        assertEquals(List.of(SIZE), exec.resizes);
        assertEquals("stty size\n", exec.stream.typed());
        assertEquals(Terminal.State.RUNNING, terminal.state());
    }

    @Test
    void aSizeGivenWithTheAttachIsTheFirstToReachTheEngineOverAnEarlierResize() {
        Fakes.Exec exec = new Fakes.Exec();
        terminals().add(spec("a1", ALICE, exec));
        terminals.resize("a1", "1", credential(ALICE), SIZE);
        TerminalSize withTheAttach = new TerminalSize(61, 187);
        Terminal terminal = terminals.attach("a1", "1", Optional.of(withTheAttach), ALICE, credential(ALICE),
                new Fakes.Sink());
        type(terminal, "stty size\n"); // waits for the first size
        assertEquals(List.of(withTheAttach), exec.resizes);
        assertEquals("stty size\n", exec.stream.typed());
    }

    @Test
    void theSizeOfAnAttachThatLostTheClaimNeverReachesTheEngine() throws Exception {
        terminals();
        for (int round = 0; round < 300; round++) {
            Fakes.Exec exec = new Fakes.Exec(true); // its start waits, so that every size set before it counts
            String id = "r" + round;
            terminals.add(spec(id, ALICE, exec));
            CyclicBarrier together = new CyclicBarrier(2);
            List<Future<Optional<Terminal>>> attaches = IntStream.of(10, 20)
                    .mapToObj(rows -> threads.submit(() -> {
                        together.await();
                        try {
                            return Optional.of(terminals.attach(id, "1", Optional.of(new TerminalSize(rows, 80)), ALICE,
                                    credential(ALICE), new Fakes.Sink()));
                        } catch (PortholeException lost) {
                            return Optional.<Terminal>empty();
                        }
                    })).toList();
            Optional<Terminal> first = attaches.get(0).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            Optional<Terminal> second = attaches.get(1).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertTrue(first.isPresent() != second.isPresent(), "exactly one attach wins");
            exec.startOpen.countDown();
            Terminal winner = first.or(() -> second).orElseThrow();
            type(winner, "x"); // waits for the first size
            assertEquals(new TerminalSize(first.isPresent() ? 10 : 20, 80), exec.resizes.get(0), "round " + round);
            winner.end(Close.shutdown()); // its relay thread goes now, not at the test's end
        }
    }

    @Test
    void withoutAnySizeTheDefaultIsApplied() {
        Fakes.Exec exec = new Fakes.Exec();
        type(attach(exec, new Fakes.Sink()), "x");
        assertEquals(List.of(TerminalSize.DEFAULT), exec.resizes);
    }

    @Test
    void aResizeOfARunningTerminalGoesToTheEngineAtOnce() {
        Fakes.Exec exec = new Fakes.Exec();
        type(attach(exec, new Fakes.Sink()), "x");
        terminals.resize("a1", "1", credential(ALICE), SIZE);
        assertEquals(List.of(TerminalSize.DEFAULT, SIZE), exec.resizes);
    }

    @Test
    void aResizeRightAfterTheAttachFindsTheTerminalAndIsAppliedOnceTheExecStarts() throws InterruptedException {
        Fakes.Exec exec = new Fakes.Exec(true);
        Terminal terminal = attach(exec, new Fakes.Sink());
        await(exec.startAsked, "exec start");
        terminals.resize("a1", "1", credential(ALICE), SIZE); // STARTING: recorded, not yet applied
        assertEquals(List.of(), exec.resizes);
        exec.startOpen.countDown();
        type(terminal, "x");
        assertEquals(List.of(SIZE), exec.resizes);
    }

    @Test
    void theProcessExitingClosesTheClientWithItsExitCodeAfterTheLastOutput() throws Exception {
        Fakes.Exec exec = new Fakes.Exec();
        exec.exit = 3;
        Fakes.Sink client = new Fakes.Sink();
        Terminal terminal = attach(exec, client);
        exec.stream.print("bye");
        exec.stream.exit();
        await(client.closed, "close");
        awaitFinished(terminal);
        assertEquals("bye", client.output());
        assertTrue(client.outputEnded);
        assertEquals(List.of("1000 exit 3"), client.closes);
        assertEquals(List.of("root"), engine.sweptAs); // what the shell left behind is looked for
        assertEquals(Terminal.State.ENDED, terminal.state());
    }

    @Test
    void aProcessWhoseContainerStoppedLeavesNothingToEnd() throws Exception {
        Fakes.Exec exec = new Fakes.Exec();
        exec.exit = 137;
        engine.containerRuns = false;
        Fakes.Sink client = new Fakes.Sink();
        Terminal terminal = attach(exec, client);
        exec.stream.exit();
        await(client.closed, "close");
        awaitFinished(terminal);
        assertEquals(List.of("1000 exit 137: container stopped"), client.closes);
        assertEquals(List.of(), engine.sweptAs);
    }

    @Test
    void aStartTheEngineRefusesClosesTheClientWithTheEnginesProblemAndEndsNothing() throws Exception {
        Fakes.Exec exec = new Fakes.Exec();
        exec.refusal = new PortholeException(Problem.CONFLICT, "container web is not running");
        Fakes.Sink client = new Fakes.Sink();
        Terminal terminal = attach(exec, client);
        await(client.closed, "close");
        awaitFinished(terminal);
        assertEquals(List.of("4409 container web is not running"), client.closes);
        assertEquals(List.of(), engine.sweptAs);
        assertEquals(0, terminals.size());
    }

    @Test
    void anEndWhileTheExecStartsClosesTheClientAtOnceAndEndsTheProcessesOnceItStarted() throws Exception {
        Fakes.Exec exec = new Fakes.Exec(true);
        Fakes.Sink client = new Fakes.Sink();
        Terminal terminal = attach(exec, client);
        await(exec.startAsked, "exec start");
        terminal.clientGone("client gone");
        assertEquals(List.of("1001 client gone"), client.closes);
        assertEquals(Terminal.State.ENDED, terminal.state());
        assertEquals(0, terminals.countOpenOwnedBy(ALICE));
        exec.startOpen.countDown();
        awaitFinished(terminal);
        await(exec.stream.closed, "stream close");
        assertTrue(exec.stream.inputEnded);
        assertEquals(List.of("root"), engine.sweptAs);
        assertEquals(List.of(), exec.resizes); // it never ran
        type(terminal, "x"); // the gate is open, and the keys go nowhere
        assertEquals("", exec.stream.typed());
    }

    @Test
    void endingARunningTerminalTwiceClosesTheClientOnceAndEndsTheProcessesOnce() throws Exception {
        Fakes.Exec exec = new Fakes.Exec();
        Fakes.Sink client = new Fakes.Sink();
        Terminal terminal = attach(exec, client);
        type(terminal, "x");
        terminal.clientClosed();
        terminals.endAllOf(credential(ALICE), Ending.SIGNED_OUT);
        terminal.clientGone("client gone");
        awaitFinished(terminal);
        await(exec.stream.closed, "stream close");
        assertEquals(List.of("1000 client closed"), client.closes);
        assertEquals(List.of("root"), engine.sweptAs);
    }

    @Test
    void endingAWaitingTerminalTouchesNeitherClientNorEngine() {
        Fakes.Exec exec = new Fakes.Exec();
        terminals().add(spec("a1", ALICE, exec));
        terminals.endAll(Close.shutdown());
        assertEquals(0, terminals.size());
        assertEquals(0, terminals.countWaitingOwnedBy(ALICE));
        assertEquals(1, exec.startAsked.getCount());
        assertEquals(List.of(), engine.sweptAs);
    }
}
