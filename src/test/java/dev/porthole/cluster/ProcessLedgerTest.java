package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.docker.ProcessMark;
import dev.porthole.terminal.ProcessLedger;
import dev.porthole.terminal.RunningProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The grid's ledger of running processes, on members in this JVM: a member that dies without leaving (terminated, as
 * a kill does) has its processes ended by exactly one survivor, and its death recorded once; one that leaves cleanly
 * has nothing ended and no death recorded. The reaper here records what it is asked; the sweeps themselves are proven
 * against the engine in NodeDeathIT.
 */
class ProcessLedgerTest {
    /** Far beyond the few seconds a terminated member's removal takes over loopback. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<Grid> grids = new ArrayList<>();
    private final List<String> reaped = Collections.synchronizedList(new ArrayList<>());
    private final List<String> reapers = Collections.synchronizedList(new ArrayList<>());
    private final List<String> deaths = Collections.synchronizedList(new ArrayList<>());

    /** Terminated members too: their ledger's thread still runs. */
    @AfterEach
    void closeAll() {
        grids.forEach(Grid::close);
    }

    private void start(int count) {
        grids.addAll(TestGrids.start(count));
        for (Grid grid : grids) {
            grid.reapDeadNodes((process, then) -> {
                reaped.add(process.execId());
                reapers.add(grid.nodeName());
                then.run();
            }, (node, ended) -> deaths.add(grid.nodeName() + " recorded " + node + " with " + ended));
        }
    }

    private static RunningProcess process(String execId) {
        return new RunningProcess(execId, 1, "web", "root", "/bin/sh", ProcessMark.tagged("tag-" + execId), "alice",
                System.currentTimeMillis());
    }

    private int entries() {
        return grids.get(0).hazelcast().getMap("porthole.running-processes").size();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        TestGrids.awaitTrue(condition, PATIENCE, what);
    }

    @Test
    void aDeadNodesProcessesAreEndedByTheOldestSurvivorOnceAndItsDeathRecordedOnce() throws Exception {
        start(3);
        ProcessLedger dying = grids.get(2).processLedger();
        dying.started(process("b1"));
        dying.started(process("b2"));
        grids.get(1).processLedger().started(process("a1"));
        assertEquals(3, entries());

        grids.get(2).hazelcast().getLifecycleService().terminate();
        awaitTrue(() -> deaths.size() == 1, "the death recorded");

        assertEquals(List.of("node-0 recorded node-2 with 2"), deaths);
        assertEquals(List.of("b1", "b2"), reaped.stream().sorted().toList());
        assertEquals(List.of("node-0", "node-0"), reapers);
        assertEquals(1, entries(), "the survivors' own process stays");
        assertTrue(grids.get(0).hazelcast().getMap("porthole.running-processes").containsKey("a1"));
    }

    @Test
    void aSurvivorThatDiesWhileEndingAnothersLeavesThemToTheNextOldest() throws Exception {
        grids.addAll(TestGrids.start(3));
        List<String> held = Collections.synchronizedList(new ArrayList<>());
        // node-1 will be the oldest after node-0: it starts the sweeps and dies before they end.
        grids.get(1).reapDeadNodes((process, then) -> held.add(process.execId()), (node, ended) -> deaths.add("node-1"));
        grids.get(2).reapDeadNodes((process, then) -> {
            reaped.add(process.execId());
            then.run();
        }, (node, ended) -> deaths.add("node-2 recorded " + node + " with " + ended));
        grids.get(0).processLedger().started(process("oldest"));
        grids.get(1).processLedger().started(process("middle"));

        grids.get(0).hazelcast().getLifecycleService().terminate();
        awaitTrue(() -> held.size() == 1, "node-1 ending node-0's process");
        awaitTrue(() -> grids.get(1).hazelcast().getPartitionService().isClusterSafe(), "the backups made again");
        grids.get(1).hazelcast().getLifecycleService().terminate();
        awaitTrue(() -> deaths.size() == 2, "both deaths recorded");

        assertEquals(List.of("oldest"), held);
        assertEquals(List.of("middle", "oldest"), reaped.stream().sorted().toList());
        assertEquals(List.of("node-2 recorded node-0 with 1", "node-2 recorded node-1 with 1"),
                deaths.stream().sorted().toList());
        assertEquals(0, grids.get(2).hazelcast().getMap("porthole.running-processes").size());
    }

    @Test
    void aNodeThatLeavesCleanlyHasNothingEndedByOthersAndNoDeathRecorded() throws Exception {
        start(2);
        ProcessLedger leaving = grids.get(1).processLedger();
        leaving.started(process("b1"));
        leaving.ended("b1");
        grids.get(1).close();
        awaitTrue(() -> grids.get(0).members().size() == 1, "the member gone");
        // The survivor's pass runs on the event, within milliseconds; any wrong end or record would come in this time.
        Thread.sleep(2_000);
        assertEquals(List.of(), reaped);
        assertEquals(List.of(), deaths);
        assertEquals(0, entries());
    }
}
