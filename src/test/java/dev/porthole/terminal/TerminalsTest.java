package dev.porthole.terminal;

import static dev.porthole.terminal.Fakes.ALICE;
import static dev.porthole.terminal.Fakes.BOB;
import static dev.porthole.terminal.Fakes.PATIENCE;
import static dev.porthole.terminal.Fakes.credential;
import static dev.porthole.terminal.Fakes.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.security.SignedInUser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one table of terminals: a terminal is attached once, by the credential that created it; the counts behind the
 * limits follow every change of state (attach, end, sign-out, expiry).
 */
class TerminalsTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Fakes.Engine engine = new Fakes.Engine();
    private final Terminals terminals = Fakes.terminals(engine, Duration.ofMinutes(1), threads, timer);

    @AfterEach
    void stop() {
        terminals.endAll(Close.shutdown());
        threads.shutdownNow();
        timer.shutdownNow();
    }

    private Terminal attach(String id, String credential) {
        return terminals.attach(id, "1", Optional.empty(), ALICE, credential, new Fakes.Sink());
    }

    @Test
    void aTerminalIsAttachedOnceAndOnlyByTheCredentialThatCreatedIt() {
        terminals.add(spec("a1", ALICE));
        assertEquals(Problem.NOT_FOUND, assertThrows(PortholeException.class, () -> attach("a1", credential(BOB))).problem());
        assertEquals(Problem.NOT_FOUND, assertThrows(PortholeException.class, () -> attach("a1", "token:alice")).problem());
        assertEquals(Optional.of(Fakes.ENVIRONMENT), terminals.waitingEnvironment("a1", credential(ALICE)));
        Terminal attached = attach("a1", credential(ALICE));
        assertEquals("a1", attached.id());
        assertEquals(Optional.empty(), terminals.waitingEnvironment("a1", credential(ALICE)));
        assertEquals(Problem.NOT_FOUND, assertThrows(PortholeException.class, () -> attach("a1", credential(ALICE))).problem());
        assertEquals(Problem.NOT_FOUND, assertThrows(PortholeException.class, () -> attach("nothing", credential(ALICE))).problem());
    }

    /** The directory of node-b, in a cluster. */
    private abstract static class OnNodeB implements TerminalDirectory {
        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public String node() {
            return "node-b";
        }
    }

    /**
     * Another node's directory holding one terminal of alice's, created on node-a, on environment 1; it
     * records its reads and the claims it grants, as the grid's claim grants them.
     */
    private static final class OneEntryElsewhere extends OnNodeB {
        final TerminalDirectory.Entry entry = new TerminalDirectory.Entry("e1", Fakes.ENVIRONMENT.id(), "web", "/bin/sh",
                "root", ALICE, credential(ALICE), "127.0.0.1", "tag", "node-a", "engine-e1", null, null, null, null,
                null);
        final List<String> reads = new CopyOnWriteArrayList<>();
        final List<String> claims = new CopyOnWriteArrayList<>();

        @Override
        public Optional<Entry> find(String execId, String credential) {
            reads.add(execId);
            return Optional.of(entry).filter(e -> e.execId().equals(execId) && e.ownedBy(credential));
        }

        @Override
        public Optional<Entry> claim(String execId, String credential, String envId) {
            Optional<Entry> won = Optional.of(entry).filter(e -> e.execId().equals(execId) && e.ownedBy(credential)
                    && e.on(envId) && claims.isEmpty());
            won.ifPresent(e -> claims.add(execId));
            return won.map(e -> e.claimedBy(node(), "member-b"));
        }

        @Override
        public CompletableFuture<String> engineExecId(Entry claimed) {
            return CompletableFuture.completedFuture(claimed.engineExecId());
        }
    }

    /** The table of node-b, sharing {@code directory}, whose engine adopts another node's exec as {@code adopted}. */
    private Terminals nodeB(TerminalDirectory directory, Fakes.Exec adopted) {
        Fakes.Engine reachedFromHere = new Fakes.Engine();
        reachedFromHere.adoptable = adopted;
        return Fakes.terminals(reachedFromHere, Duration.ofMinutes(1), threads, timer, directory);
    }

    @Test
    void anAttachOnAnotherNodeClaimsInOneStepAndReadsTheEntryOnlyToSayWhyItFails() {
        OneEntryElsewhere elsewhere = new OneEntryElsewhere();
        Fakes.Exec adopted = new Fakes.Exec(true);
        Terminals onNodeB = nodeB(elsewhere, adopted);
        try {
            assertEquals(Problem.BAD_REQUEST, assertThrows(PortholeException.class,
                    () -> onNodeB.attach("e1", "2", Optional.empty(), ALICE, credential(ALICE), new Fakes.Sink())).problem());
            assertEquals(List.of("e1"), elsewhere.reads, "an environment unknown here: read to say why");
            SignedInUser mayNotExec = new SignedInUser("alice", Set.of());
            assertEquals(Problem.FORBIDDEN, assertThrows(PortholeException.class,
                    () -> onNodeB.attach("e1", "1", Optional.empty(), mayNotExec, credential(ALICE), new Fakes.Sink())).problem());
            assertEquals(List.of(), elsewhere.claims, "no claim before its checks passed");

            elsewhere.reads.clear();
            Terminal attached = onNodeB.attach("e1", "1", Optional.empty(), ALICE, credential(ALICE), new Fakes.Sink());
            assertEquals("e1", attached.id());
            assertEquals(List.of("e1"), elsewhere.claims);
            assertEquals(List.of(), elsewhere.reads, "the claim was the one step in the directory");
            assertEquals(Problem.NOT_FOUND, assertThrows(PortholeException.class,
                    () -> onNodeB.attach("e1", "1", Optional.empty(), ALICE, credential(ALICE), new Fakes.Sink())).problem(), "used");
        } finally {
            adopted.startOpen.countDown();
            onNodeB.endAll(Close.shutdown());
        }
    }

    /** A cluster's directory that records whatever it is asked, and holds nothing. */
    private static final class Told extends OnNodeB {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void waiting(Entry entry, Duration attachTimeout) {
            calls.add("waiting " + entry.execId());
        }

        @Override
        public Optional<Entry> find(String execId, String credential) {
            calls.add("find " + execId);
            return Optional.empty();
        }

        @Override
        public Optional<Entry> claim(String execId, String credential, String envId) {
            calls.add("claim " + execId);
            return Optional.empty();
        }

        @Override
        public Optional<Entry> recordSize(String execId, String credential, String envId, TerminalSize size) {
            calls.add("recordSize " + execId);
            return Optional.empty();
        }

        @Override
        public void ended(String execId) {
            calls.add("ended " + execId);
        }

        @Override
        public void counted(String owner, Change change) {
            calls.add(change + " " + owner);
        }
    }

    @Test
    void aTerminalTheClusterDoesNotShareLivesOnItsNodeAsOnASingleOne() throws Exception {
        Told directory = new Told();
        Fakes.Engine here = new Fakes.Engine();
        Terminals clustered = Fakes.terminals(here, Duration.ofMinutes(1), threads, timer, directory);
        Fakes.Exec exec = new Fakes.Exec();
        try {
            clustered.add(spec("w1", ALICE, exec)); // unshared, as the creates on the server's own environments make them
            clustered.resize("w1", "1", credential(ALICE), new TerminalSize(30, 100));
            Terminal attached = clustered.attach("w1", "1", Optional.empty(), ALICE, credential(ALICE), new Fakes.Sink());
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (exec.resizes.isEmpty() && System.nanoTime() < deadline) { // the first size, applied once it runs
                Thread.sleep(5);
            }
            assertEquals(Terminal.State.RUNNING, attached.state());
            clustered.resize("w1", "1", credential(ALICE), new TerminalSize(40, 120));
            attached.end(Close.shutdown());
            attached.finished().get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(List.of(new TerminalSize(30, 100), new TerminalSize(40, 120)), exec.resizes);
            assertEquals(List.of(), directory.calls, "the cluster was told of a terminal it does not share");
        } finally {
            clustered.endAll(Close.shutdown());
        }
    }

    @Test
    void anEnvironmentOtherThanTheTerminalsIsABadRequest() {
        terminals.add(spec("a1", ALICE));
        PortholeException e = assertThrows(PortholeException.class,
                () -> terminals.attach("a1", "01", Optional.empty(), ALICE, credential(ALICE), new Fakes.Sink()));
        assertEquals(Problem.BAD_REQUEST, e.problem());
        attach("a1", credential(ALICE));
    }

    @Test
    void countsFollowAddAttachAndEnd() {
        terminals.add(spec("a1", ALICE));
        terminals.add(spec("a2", ALICE));
        terminals.add(spec("b1", BOB));
        assertEquals(2, terminals.countWaitingOwnedBy(ALICE));
        assertEquals(1, terminals.countWaitingOwnedBy(BOB));
        assertThrows(PortholeException.class, () -> attach("a1", credential(BOB))); // not his: still counted
        assertEquals(2, terminals.countWaitingOwnedBy(ALICE));

        Terminal a1 = attach("a1", credential(ALICE));
        assertEquals(1, terminals.countWaitingOwnedBy(ALICE));
        assertEquals(1, terminals.countOpenOwnedBy(ALICE));
        assertEquals(3, terminals.size());
        assertEquals(Map.of(1, 1), terminals.countOpenByEnvironment());
        assertEquals(Map.of(1, 2), terminals.countWaitingByEnvironment());

        a1.clientClosed();
        a1.clientClosed();
        assertEquals(0, terminals.countOpenOwnedBy(ALICE));
        assertEquals(1, terminals.countWaitingOwnedBy(ALICE));
        assertEquals(2, terminals.size());
        assertEquals(Map.of(), terminals.countOpenByEnvironment());
    }

    @Test
    void aSignOutEndsEveryTerminalOfTheCredentialWaitingOrOpenAndNoOther() throws InterruptedException {
        terminals.add(spec("a1", ALICE));
        terminals.add(spec("a2", ALICE));
        terminals.add(spec("b1", BOB));
        Fakes.Sink client = new Fakes.Sink();
        terminals.attach("a1", "1", Optional.empty(), ALICE, credential(ALICE), client);
        terminals.endAllOf(credential(ALICE), Ending.SIGNED_OUT);
        Fakes.await(client.closed, "close");
        assertEquals("4401 signed out", client.closes.get(0));
        assertEquals(0, terminals.countWaitingOwnedBy(ALICE));
        assertEquals(0, terminals.countOpenOwnedBy(ALICE));
        assertEquals(1, terminals.size());
        assertEquals(Problem.UNAUTHENTICATED,
                assertThrows(PortholeException.class, () -> attach("a2", credential(ALICE))).problem());
        terminals.attach("b1", "1", Optional.empty(), BOB, credential(BOB), new Fakes.Sink());
    }

    @Test
    void aTerminalNotAttachedInTimeExpiresAndIsUncounted() throws InterruptedException {
        Terminals quick = Fakes.terminals(engine, Duration.ofMillis(100), threads, timer);
        quick.add(spec("a1", ALICE));
        quick.add(spec("b1", BOB));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (quick.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, quick.size());
        assertEquals(0, quick.countWaitingOwnedBy(ALICE));
        assertEquals(0, quick.countWaitingOwnedBy(BOB));
        assertEquals(Map.of(), quick.countWaitingByEnvironment());
        assertThrows(PortholeException.class,
                () -> quick.attach("a1", "1", Optional.empty(), ALICE, credential(ALICE), new Fakes.Sink()));
    }
}
