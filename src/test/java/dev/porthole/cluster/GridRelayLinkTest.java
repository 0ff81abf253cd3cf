package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import dev.porthole.edge.RelayLink;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A terminal's two relay queues on a real grid of three members: the agent's node B, the terminal's node C, and A. */
class GridRelayLinkTest {
    private static final Duration LOOK = Duration.ofMillis(200);
    private List<Grid> grids;
    private HazelcastInstance b;
    private HazelcastInstance c;

    @BeforeEach
    void start() {
        grids = TestGrids.start(3);
        b = grids.get(1).hazelcast();
        c = grids.get(2).hazelcast();
    }

    @AfterEach
    void stop() {
        grids.forEach(Grid::close);
    }

    private static Member local(HazelcastInstance member) {
        return member.getCluster().getLocalMember();
    }

    private static List<String> relayQueues(HazelcastInstance member) {
        return member.getDistributedObjects().stream().map(DistributedObject::getName)
                .filter(name -> name.startsWith(GridRelayLink.PREFIX)).sorted().toList();
    }

    @Test
    void itemsCrossInOrderBothWaysOnAPartitionOfTheAgentsNodeAndAFullQueueRefusesMore() throws Exception {
        GridRelayLink.Names names = GridRelayLink.ownedHere(b, "e1");
        String key = names.out().substring(names.out().indexOf('@') + 1);
        assertEquals(local(b).getUuid(), b.getPartitionService().getPartition(key).getOwner().getUuid());
        RelayLink agentSide = GridRelayLink.agentSide(b, names, local(c));
        RelayLink terminalSide = GridRelayLink.terminalSide(c, names, local(b));
        for (int i = 0; i < ClusterOptions.DEFAULT_RELAY_QUEUE_ITEMS; i++) {
            assertTrue(agentSide.offer(new byte[] {(byte) i}, LOOK));
        }
        assertFalse(agentSide.offer(new byte[] {1}, LOOK), "bounded by cluster.relay-queue-items");
        for (int i = 0; i < ClusterOptions.DEFAULT_RELAY_QUEUE_ITEMS; i++) {
            assertArrayEquals(new byte[] {(byte) i}, (byte[]) terminalSide.poll(LOOK));
        }
        assertNull(terminalSide.poll(LOOK));
        assertTrue(terminalSide.offer("keys", LOOK));
        assertEquals("keys", agentSide.poll(LOOK));
        assertEquals(2, relayQueues(grids.get(0).hazelcast()).size(), "known on every member");
        agentSide.destroy();
        assertEquals(List.of(), relayQueues(c));
    }

    @Test
    void theOtherNodeLeavingFailsTheWaitingPollAndTheOffer() throws Exception {
        GridRelayLink.Names names = GridRelayLink.ownedHere(b, "e2");
        RelayLink terminalSide = GridRelayLink.terminalSide(c, names, local(b));
        grids.get(1).close();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (c.getCluster().getMembers().size() > 2) {
            assertTrue(System.nanoTime() < deadline);
            Thread.sleep(50);
        }
        assertThrows(RelayLink.Gone.class, () -> terminalSide.poll(LOOK));
        assertThrows(RelayLink.Gone.class, () -> terminalSide.offer("x", LOOK));
        terminalSide.destroy();
        assertEquals(List.of(), relayQueues(c));
    }
}
