package dev.porthole.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;

/**
 * Which node fills a shared map from its own files: the first to ask, once per cluster. A node that joins a running
 * cluster finds the map filled and takes the grid's copy as the truth over its files (which may be stale: a token
 * revoked while it was down must not come back). Once every node has stopped, the grid is gone, and the first node
 * of the next start fills it again from its files, which every node kept up to date while it ran.
 */
final class Seeding {
    private final IMap<String, String> seeded;
    private final String nodeName;

    Seeding(HazelcastInstance hazelcast, String nodeName) {
        this.seeded = hazelcast.getMap("porthole.seeded");
        this.nodeName = nodeName;
    }

    /** Whether this node is the one to fill {@code what} from its files: true for exactly one node per cluster. */
    boolean claim(String what) {
        return seeded.putIfAbsent(what, nodeName) == null;
    }
}
