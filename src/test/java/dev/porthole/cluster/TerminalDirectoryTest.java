package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.security.SignedInUser;
import dev.porthole.terminal.TerminalDirectory;
import dev.porthole.terminal.TerminalDirectory.Entry;
import dev.porthole.terminal.TerminalOptions;
import dev.porthole.terminal.TerminalSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The terminal directory on a real grid of two members: its atomic steps and the calls routed between nodes. */
class TerminalDirectoryTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final SignedInUser ALICE = new SignedInUser("alice", Set.of("porthole-exec"));
    private static List<Grid> grids;
    private static final List<TerminalDirectory> nodes = new ArrayList<>();
    private static final List<Recording> heres = new ArrayList<>();
    private static int next;

    @BeforeAll
    static void start() {
        grids = TestGrids.start(2);
        for (Grid grid : grids) {
            TerminalDirectory directory = grid.terminals();
            Recording here = new Recording();
            directory.serve(here);
            nodes.add(directory);
            heres.add(here);
        }
    }

    @AfterAll
    static void stop() {
        grids.forEach(Grid::close);
    }

    /** What a node's terminals were asked by the others. */
    private static final class Recording implements TerminalDirectory.Here {
        final BlockingQueue<String> claimedElsewhere = new LinkedBlockingQueue<>();
        final BlockingQueue<TerminalSize> resized = new LinkedBlockingQueue<>();
        volatile String runs;

        @Override
        public boolean resize(String execId, String credential, TerminalSize size) {
            if (!execId.equals(runs) || !credential.equals("alice-credential")) {
                return false;
            }
            resized.add(size);
            return true;
        }

        @Override
        public void claimedElsewhere(String execId) {
            claimedElsewhere.add(execId);
        }
    }

    private static Entry published(int node, Duration attachTimeout) {
        String id = String.format("%032x", ++next);
        Entry entry = new Entry(id, 1, "web", "/bin/sh", "root", ALICE, "alice-credential", "127.0.0.1", "tag-" + id,
                "node-" + node, null, null, null, null, null, null);
        nodes.get(node).waiting(entry, attachTimeout);
        return entry;
    }

    @Test
    void ofTwoNodesRacingToClaimOneWaitingTerminalExactlyOneWins() throws Exception {
        for (int round = 0; round < 20; round++) {
            Entry entry = published(0, PATIENCE);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService racers = Executors.newFixedThreadPool(2);
            try {
                List<Future<Optional<Entry>>> claims = new ArrayList<>();
                for (TerminalDirectory node : nodes) {
                    claims.add(racers.submit(() -> {
                        go.await();
                        return node.claim(entry.execId(), "alice-credential", "1");
                    }));
                }
                go.countDown();
                List<String> winners = new ArrayList<>();
                for (Future<Optional<Entry>> claim : claims) {
                    claim.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).ifPresent(won -> winners.add(won.runsOn()));
                }
                assertEquals(1, winners.size(), "round " + round + ": " + winners);
                assertEquals(winners.get(0), nodes.get(0).find(entry.execId(), "alice-credential").get().runsOn());
            } finally {
                racers.shutdownNow();
            }
        }
    }

    @Test
    void createsRacingOnTwoNodesNeverPassALimitTogether() throws Exception {
        TerminalOptions.Limits limits = new TerminalOptions.Limits(100, 100, 7, 64);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService racers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<TerminalDirectory.Limit>>> reserves = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                TerminalDirectory node = nodes.get(i % 2);
                reserves.add(racers.submit(() -> {
                    go.await();
                    return node.reserve("racer", limits);
                }));
            }
            go.countDown();
            int counted = 0;
            for (Future<Optional<TerminalDirectory.Limit>> reserve : reserves) {
                Optional<TerminalDirectory.Limit> refused = reserve.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                if (refused.isEmpty()) {
                    counted++;
                } else {
                    assertEquals(TerminalDirectory.Limit.PENDING_PER_USER, refused.get());
                }
            }
            assertEquals(7, counted);
        } finally {
            racers.shutdownNow();
        }
        nodes.get(1).counted("racer", TerminalDirectory.Change.WAITING_ENDED);
        assertEquals(Optional.empty(), nodes.get(0).reserve("racer", limits), "one ended on the other node: room");
    }

    @Test
    void aForeignCredentialNeitherFindsNorClaimsNorResizes() {
        Entry entry = published(0, PATIENCE);
        assertEquals(Optional.empty(), nodes.get(1).find(entry.execId(), "mallory-credential"));
        assertEquals(Optional.empty(), nodes.get(1).claim(entry.execId(), "mallory-credential", "1"));
        assertEquals(Optional.empty(), nodes.get(1).recordSize(entry.execId(), "mallory-credential", "1",
                new TerminalSize(50, 100)));
        assertTrue(nodes.get(1).claim(entry.execId(), "alice-credential", "1").isPresent(), "still waiting for its owner");
    }

    @Test
    void aClaimNamingAnotherEnvironmentIsRefusedAndLeavesTheTerminalWaiting() {
        Entry entry = published(0, PATIENCE);
        assertEquals(Optional.empty(), nodes.get(1).claim(entry.execId(), "alice-credential", "2"));
        assertEquals(Optional.empty(), nodes.get(1).claim(entry.execId(), "alice-credential", "01"));
        assertTrue(nodes.get(1).find(entry.execId(), "alice-credential").get().waiting());
        assertEquals("node-1", nodes.get(1).claim(entry.execId(), "alice-credential", "1").get().runsOn());
    }

    @Test
    void theSizeRecordedBeforeTheClaimIsWhatTheClaimerReadsAndTheCreatorHearsOfTheClaim() throws Exception {
        Entry entry = published(0, PATIENCE);
        Entry sized = nodes.get(1).recordSize(entry.execId(), "alice-credential", "1", new TerminalSize(50, 100)).get();
        assertNull(sized.runsOn(), "waiting: nobody serves it yet");
        assertFalse(nodes.get(0).recordSize(entry.execId(), "alice-credential", "2", new TerminalSize(1, 1)).get().on("2"),
                "another environment changes nothing");
        Entry claimed = nodes.get(1).claim(entry.execId(), "alice-credential", "1").get();
        assertEquals(new TerminalSize(50, 100), claimed.size());
        assertEquals("node-1", claimed.runsOn());
        awaitClaimedElsewhere(heres.get(0), entry.execId());
        assertEquals(Optional.empty(), nodes.get(0).claim(entry.execId(), "alice-credential", "1"), "single use");
    }

    /** The news comes on the grid's event thread; other tests' claims of node-0's terminals come before it. */
    private static void awaitClaimedElsewhere(Recording creator, String execId) throws InterruptedException {
        String heard;
        do {
            heard = creator.claimedElsewhere.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertTrue(heard != null, "the creator never heard that " + execId + " was claimed elsewhere");
        } while (!heard.equals(execId));
    }

    @Test
    void aResizeOfARunningTerminalIsRecordedNowhereAndRoutedToTheNodeThatRunsIt() throws Exception {
        Entry entry = published(0, PATIENCE);
        nodes.get(1).claim(entry.execId(), "alice-credential", "1").get();
        heres.get(1).runs = entry.execId();
        Entry after = nodes.get(0).recordSize(entry.execId(), "alice-credential", "1", new TerminalSize(40, 120)).get();
        assertEquals("node-1", after.runsOn());
        assertNull(after.size());
        assertTrue(nodes.get(0).resizeOn("node-1", entry.execId(), "alice-credential", new TerminalSize(40, 120)));
        assertEquals(new TerminalSize(40, 120), heres.get(1).resized.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertFalse(nodes.get(0).resizeOn("node-1", "f".repeat(32), "alice-credential", new TerminalSize(40, 120)));
        assertFalse(nodes.get(0).resizeOn("node-9", entry.execId(), "alice-credential", new TerminalSize(40, 120)));
    }

    @Test
    void theClaimerWaitsForTheEngineIdTheCreatorRecordsLaterOrFailsWithItsRefusal() throws Exception {
        Entry entry = published(0, PATIENCE);
        Entry claimed = nodes.get(1).claim(entry.execId(), "alice-credential", "1").get();
        CompletableFuture<String> id = nodes.get(1).engineExecId(claimed);
        assertFalse(id.isDone());
        nodes.get(0).engineExecCreated(entry.execId(), "engine-id");
        assertEquals("engine-id", id.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));

        Entry refused = published(0, PATIENCE);
        nodes.get(0).engineExecRefused(refused.execId(), new TerminalDirectory.Refusal(Problem.CONFLICT, "not running"));
        Entry claimedRefused = nodes.get(1).claim(refused.execId(), "alice-credential", "1").get();
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> nodes.get(1).engineExecId(claimedRefused).get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertEquals(Problem.CONFLICT, ((PortholeException) failed.getCause()).problem());
    }

    @Test
    void anEndRemovesAWaitingEntryOrOneItsNodeRunsButNotOneAnotherNodeRuns() {
        Entry waiting = published(0, PATIENCE);
        nodes.get(0).ended(waiting.execId());
        assertEquals(Optional.empty(), nodes.get(1).claim(waiting.execId(), "alice-credential", "1"), "ended while waiting");

        Entry running = published(0, PATIENCE);
        nodes.get(1).claim(running.execId(), "alice-credential", "1").get();
        nodes.get(0).ended(running.execId());
        assertTrue(nodes.get(0).find(running.execId(), "alice-credential").isPresent(), "the creator's end leaves it");
        nodes.get(1).ended(running.execId());
        assertEquals(Optional.empty(), nodes.get(0).find(running.execId(), "alice-credential"));
    }

    @Test
    void aWaitingEntryExpiresAfterTheAttachTimeoutAndAClaimedOneDoesNot() throws Exception {
        Entry expiring = published(0, Duration.ofSeconds(1));
        Entry claimed = published(0, Duration.ofSeconds(1));
        nodes.get(1).claim(claimed.execId(), "alice-credential", "1").get();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (nodes.get(1).find(expiring.execId(), "alice-credential").isPresent()) {
            assertTrue(System.nanoTime() < deadline, "never expired");
            Thread.sleep(100);
        }
        assertEquals(Optional.empty(), nodes.get(1).claim(expiring.execId(), "alice-credential", "1"));
        Thread.sleep(1500); // past the TTL the claimed entry had while waiting
        assertTrue(nodes.get(0).find(claimed.execId(), "alice-credential").isPresent(), "claimed: kept until its end");
    }
}
