package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.it.GridPorts;
import dev.porthole.security.SignedInUser;
import dev.porthole.terminal.TerminalDirectory;
import dev.porthole.terminal.TerminalDirectory.Change;
import dev.porthole.terminal.TerminalDirectory.Entry;
import dev.porthole.terminal.TerminalOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A dead node's terminals on members in this JVM: the survivor that ends its processes removes the directory entries
 * the dead member ran or held waiting and gives their places back in the limits' counts, once, and leaves those that
 * live members run, a restart of the dead node under its name included. Members die by termination, as by a kill.
 */
class DeadNodeTerminalsTest {
    /** Far beyond the few seconds a terminated member's removal takes over loopback. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration ATTACH_TIMEOUT = Duration.ofMinutes(10);
    private static final TerminalOptions.Limits LIMITS = new TerminalOptions.Limits(100, 100, 100, 64);
    private static final SignedInUser ALICE = new SignedInUser("alice", Set.of("porthole-exec"));
    private static final SignedInUser BOB = new SignedInUser("bob", Set.of("porthole-exec"));

    private final List<Grid> grids = new ArrayList<>();
    private int next;

    /** Terminated members too: their ledger's thread still runs. */
    @AfterEach
    void closeAll() {
        grids.forEach(Grid::close);
    }

    private static void reapNothing(Grid grid) {
        grid.reapDeadNodes((process, then) -> then.run(), (node, ended) -> {
        });
    }

    /** A terminal of {@code owner} created on {@code creator} as a create does: counted, then published waiting. */
    private Entry created(TerminalDirectory creator, SignedInUser owner) {
        assertEquals(java.util.Optional.empty(), creator.reserve(owner.name(), LIMITS));
        String id = String.format("%032x", ++next);
        Entry entry = new Entry(id, 1, "web", "/bin/sh", "root", owner, owner.name() + "-credential", "127.0.0.1",
                "tag-" + id, creator.node(), null, null, null, null, null, null);
        creator.waiting(entry, ATTACH_TIMEOUT);
        return entry;
    }

    /** {@code runner} claims the terminal and counts it open, as its attach does. */
    private static void attached(TerminalDirectory runner, Entry entry) {
        assertTrue(runner.claim(entry.execId(), entry.credential(), "1").isPresent());
        runner.counted(entry.owner().name(), Change.ATTACHED);
    }

    private static boolean present(TerminalDirectory directory, Entry entry) {
        return directory.find(entry.execId(), entry.credential()).isPresent();
    }

    private TerminalCounts counts() {
        TerminalCounts counts = grids.get(0).hazelcast().<String, TerminalCounts>getMap(GridTerminals.COUNTS)
                .get(GridTerminals.ALL);
        return counts != null ? counts : TerminalCounts.NONE;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        TestGrids.awaitTrue(condition, PATIENCE, what);
    }

    @Test
    void aDeadNodesWaitingAndRunningTerminalsLeaveTheDirectoryAndTheCountsAndOneALiveNodeClaimedStays()
            throws Exception {
        grids.addAll(TestGrids.start(3));
        grids.forEach(DeadNodeTerminalsTest::reapNothing);
        TerminalDirectory survivor = grids.get(0).terminals();
        TerminalDirectory live = grids.get(1).terminals();
        TerminalDirectory dying = grids.get(2).terminals();
        Entry waiting = created(dying, ALICE);
        Entry running = created(dying, ALICE);
        attached(dying, running);
        Entry claimedByLive = created(dying, ALICE);
        attached(live, claimedByLive);
        Entry othersWaiting = created(live, BOB);
        assertEquals(new TerminalCounts.Owned(1, 2), counts().users().get("alice"));
        assertEquals(4, counts().total());

        grids.get(2).hazelcast().getLifecycleService().terminate();
        awaitTrue(() -> !present(survivor, waiting) && !present(survivor, running), "the dead node's entries removed");
        awaitTrue(() -> counts().total() < 4, "the places given back, a step after the entries");

        assertTrue(present(survivor, claimedByLive), "a live node runs it");
        assertTrue(present(survivor, othersWaiting), "a live node holds it");
        assertEquals(new TerminalCounts.Owned(0, 1), counts().users().get("alice"));
        assertEquals(new TerminalCounts.Owned(1, 0), counts().users().get("bob"));
        assertEquals(2, counts().total());
    }

    @Test
    void aNodeRestartedUnderItsNameKeepsItsNewTerminalsWhileItsDeadSelfsGoEvenWhenNoSurvivorWatchedTheDeath()
            throws Exception {
        List<Integer> ports = GridPorts.free(2);
        grids.add(Grid.join(TestGrids.options(ports, 0, "test", "test-secret")));
        grids.add(Grid.join(TestGrids.options(ports, 1, "test", "test-secret")));
        TerminalDirectory dead = grids.get(1).terminals();
        Entry deadWaiting = created(dead, ALICE);
        Entry deadRunning = created(dead, ALICE);
        attached(dead, deadRunning);
        grids.get(1).hazelcast().getLifecycleService().terminate();
        awaitTrue(() -> grids.get(0).members().size() == 1, "the member gone");

        grids.add(Grid.join(TestGrids.options(ports, 1, "test", "test-secret")));
        TerminalDirectory restarted = grids.get(2).terminals();
        assertEquals(dead.node(), restarted.node(), "the same name");
        Entry newWaiting = created(restarted, ALICE);
        Entry newRunning = created(restarted, ALICE);
        attached(restarted, newRunning);
        assertEquals(new TerminalCounts.Owned(2, 2), counts().users().get("alice"));

        reapNothing(grids.get(0)); // the oldest looks at the members gone before it watched
        TerminalDirectory survivor = grids.get(0).terminals();
        awaitTrue(() -> !present(survivor, deadWaiting) && !present(survivor, deadRunning),
                "the dead start's entries removed");
        awaitTrue(() -> counts().total() < 4, "the places given back, a step after the entries");

        assertTrue(present(survivor, newWaiting) && present(survivor, newRunning), "the restart's entries stay");
        assertEquals(new TerminalCounts.Owned(1, 1), counts().users().get("alice"));
        assertEquals(2, counts().total());
    }

    @Test
    void sweepsRacingOnTwoSurvivorsGiveEachPlaceBackOnce() throws Exception {
        grids.addAll(TestGrids.start(3));
        List<GridTerminals> survivors = List.of(new GridTerminals(grids.get(0).hazelcast(), "node-0"),
                new GridTerminals(grids.get(1).hazelcast(), "node-1"));
        TerminalDirectory doomed = grids.get(2).terminals();
        for (int i = 0; i < 2; i++) {
            created(survivors.get(0), ALICE);
            attached(survivors.get(1), created(survivors.get(0), BOB));
        }
        for (int i = 0; i < 10; i++) {
            created(doomed, ALICE);
            attached(doomed, created(doomed, BOB));
        }
        Set<UUID> withoutTheDoomed = Set.of(grids.get(0).hazelcast().getCluster().getLocalMember().getUuid(),
                grids.get(1).hazelcast().getCluster().getLocalMember().getUuid());

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService racers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> sweeps = new ArrayList<>();
            for (GridTerminals survivor : survivors) {
                sweeps.add(racers.submit(() -> {
                    go.await();
                    survivor.sweepDead(() -> withoutTheDoomed);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> sweep : sweeps) {
                sweep.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            racers.shutdownNow();
        }
        survivors.get(0).sweepDead(() -> withoutTheDoomed);

        assertEquals(new TerminalCounts.Owned(2, 0), counts().users().get("alice"), "a place given twice drops below");
        assertEquals(new TerminalCounts.Owned(0, 2), counts().users().get("bob"));
        assertEquals(4, counts().total());
        assertEquals(4, grids.get(0).hazelcast().getMap(GridTerminals.MAP).size());
    }
}
