package dev.porthole.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.collection.IQueue;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.partition.Partition;
import dev.porthole.edge.RelayLink;
import java.io.Serializable;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RelayLink} on two grid queues, one per direction, named {@code porthole.relay.<id>.out} (output, towards
 * the terminal's node) and {@code .in}, both kept on the partition of a key that the agent's node owns.
 *
 * <p>Why queues: a queue is FIFO, which is the order the bytes need; its bound makes a full queue hold the sender,
 * which is the flow control, with no credits of our own; a waiting poll answers as soon as an item arrives, so a
 * keystroke costs one operation each way. Why on the agent's node, and without backups: a queue whose partition owner
 * leaves loses its items when it has no backup. Kept on the agent's node, they are lost only with that node, which
 * ends the terminal anyway (as an agent drop); a third node leaving cannot lose bytes from the middle of a stream. A
 * backup would cost a second operation per item for nothing. The terminal's node reaches them remotely: one member
 * operation per item. A partition moves only with its items (a migration copies them).
 */
final class GridRelayLink implements RelayLink {
    static final String PREFIX = "porthole.relay.";
    /** How many keys are tried for one on this member's partitions: 271 partitions over the members, ample. */
    private static final int KEYS_TRIED = 10_000;

    private final HazelcastInstance hazelcast;
    private final IQueue<Object> outbound;
    private final IQueue<Object> inbound;
    private final UUID peer;
    private final String peerName;

    private GridRelayLink(HazelcastInstance hazelcast, String outbound, String inbound, UUID peer, String peerName) {
        this.hazelcast = hazelcast;
        this.outbound = hazelcast.getQueue(outbound);
        this.inbound = hazelcast.getQueue(inbound);
        this.peer = peer;
        this.peerName = peerName;
    }

    /** The queues' bound and their lack of backups, in the grid's configuration. */
    static void configure(Config config, int items) {
        config.getQueueConfig(PREFIX + "*").setMaxSize(items).setBackupCount(0).setAsyncBackupCount(0)
                .setStatisticsEnabled(false);
    }

    /** The names of one terminal's queues: {@code out} towards the terminal's node, {@code in} towards the agent's. */
    record Names(String out, String in) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** New queue names for the terminal {@code id}, on a partition this member owns: run on the agent's node. */
    static Names ownedHere(HazelcastInstance hazelcast, String id) {
        Member local = hazelcast.getCluster().getLocalMember();
        String key = id;
        for (int i = 0; i < KEYS_TRIED; i++) {
            Partition partition = hazelcast.getPartitionService().getPartition(id + "." + i);
            if (partition.getOwner() != null && partition.getOwner().getUuid().equals(local.getUuid())) {
                key = id + "." + i;
                break;
            }
        }
        return new Names(PREFIX + id + ".out@" + key, PREFIX + id + ".in@" + key);
    }

    /** The agent's side: it offers output and polls input; {@code peer} runs the terminal. */
    static GridRelayLink agentSide(HazelcastInstance hazelcast, Names names, Member peer) {
        return new GridRelayLink(hazelcast, names.out(), names.in(), peer.getUuid(), Grid.nameOf(peer));
    }

    /** The terminal's side: it offers input and polls output; {@code peer} holds the agent. */
    static GridRelayLink terminalSide(HazelcastInstance hazelcast, Names names, Member peer) {
        return new GridRelayLink(hazelcast, names.in(), names.out(), peer.getUuid(), Grid.nameOf(peer));
    }

    @Override
    public boolean offer(Serializable item, Duration patience) throws Gone {
        requirePeer();
        try {
            return outbound.offer(item, patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Gone("interrupted");
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public Object poll(Duration patience) throws Gone {
        try {
            Object item = inbound.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
            if (item == null) {
                requirePeer();
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Gone("interrupted");
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    /** The grid failed the operation: this node leaves (it stops), or the other one left meanwhile. */
    private Gone failed(RuntimeException e) throws Gone {
        requirePeer();
        return new Gone("the grid failed: " + dev.porthole.error.Causes.of(e));
    }

    private void requirePeer() throws Gone {
        if (Grid.member(hazelcast, peer).isEmpty()) {
            throw new Gone("node " + peerName + " left the cluster");
        }
    }

    @Override
    public void destroy() {
        outbound.destroy();
        inbound.destroy();
    }
}
