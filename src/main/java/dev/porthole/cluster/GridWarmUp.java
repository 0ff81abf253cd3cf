package dev.porthole.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the kinds of grid operation a terminal's way to its prompt waits for (a write with its backup, a read, an
 * entry processor, a removal) {@code rounds} times on a map of this node's own, in the background, once: as soon as
 * the cluster has another member (at the start, or when the first one joins). Measured on a 2-core machine: a grid
 * operation took 1.1-1.6 ms in a fresh JVM's first 200 and 0.2-0.3 ms after 8,000, and three nodes took some 20 %
 * longer to a prompt than one, far from the 10 % of the target (docs/benchmarks.md, figure 9); the terminals' own
 * traffic would take thousands of terminals to warm the grid's path. Keys are random, so the operations reach
 * every member, which serve them as they serve a prompt's: a node that joins later warms itself, and what it asks
 * of the others. Stops at {@link #close}, between two operations.
 */
final class GridWarmUp implements MembershipListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GridWarmUp.class);

    private final HazelcastInstance hazelcast;
    private final String nodeName;
    private final int rounds;
    private final ExecutorService thread;
    private final AtomicBoolean begun = new AtomicBoolean();
    private volatile boolean closed;

    private GridWarmUp(HazelcastInstance hazelcast, String nodeName, int rounds, String threadName) {
        this.hazelcast = hazelcast;
        this.nodeName = nodeName;
        this.rounds = rounds;
        // Made when the warm-up begins, and gone a second after it.
        this.thread = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread warming = new Thread(task, threadName);
            warming.setDaemon(true);
            return warming;
        });
    }

    /** Warms up now if the cluster has other members, else when one joins; {@code rounds} 0 does nothing. */
    static GridWarmUp start(HazelcastInstance hazelcast, String nodeName, int rounds, String threadName) {
        GridWarmUp warmUp = new GridWarmUp(hazelcast, nodeName, rounds, threadName);
        if (rounds > 0) {
            hazelcast.getCluster().addMembershipListener(warmUp);
            if (hazelcast.getCluster().getMembers().size() > 1) {
                warmUp.begin();
            }
        }
        return warmUp;
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        begin();
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        // A member leaving asks for no warm-up.
    }

    private void begin() {
        if (closed || !begun.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.execute(this::run);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void run() {
        int members = hazelcast.getCluster().getMembers().size();
        log.info("warming up the grid's operations with {} members ({} rounds)", members, rounds);
        long began = System.nanoTime();
        IMap<String, String> map = hazelcast.getMap("porthole.warm-up." + nodeName);
        try {
            for (int i = 0; i < rounds && !closed; i++) {
                String key = UUID.randomUUID().toString();
                map.set(key, "warm");
                map.get(key);
                map.executeOnKey(key, new Touch());
                map.delete(key);
            }
        } catch (HazelcastInstanceNotActiveException e) {
            return; // the node is leaving
        } catch (RuntimeException e) {
            if (!closed) { // else interrupted by the close
                // A member leaving mid-call, for one: the grid works as before, only less warm.
                log.info("the grid's warm-up stopped: {}", e.toString());
            }
            return;
        }
        if (!closed) {
            map.destroy(); // empty already; nothing of the warm-up stays in the grid
            log.info("warmed up the grid's operations in {} ms", (System.nanoTime() - began) / 1_000_000);
        }
    }

    /** Stops the warm-up between two operations; does not wait for it (the grid's shutdown ends its last one). */
    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
    }

    /** Changes the entry on the member that owns it and answers the change, as the terminals' entry processors do. */
    static final class Touch implements EntryProcessor<String, String, String>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public String process(Map.Entry<String, String> entry) {
            String touched = entry.getValue() + "!";
            entry.setValue(touched);
            return touched;
        }
    }
}
