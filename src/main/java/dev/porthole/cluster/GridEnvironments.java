package dev.porthole.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.porthole.docker.EnvironmentConfig;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The environments of a cluster. The shared truth is the grid map {@code porthole.environments}: each environment's
 * keys as a configuration file has them, by id. An admin change on any node is written to that node's file (as on a
 * single node) and put in the map; every other node hears of it from the map, writes the same keys to its own file
 * and applies them, without a restart. The first node of a cluster fills the map from its file ({@link Seeding}); a
 * node that joins later makes its file's environments the map's, so a file edited by hand on one host while the
 * cluster ran does not outvote the cluster. The files keep the environments for the cluster's next cold start.
 */
public final class GridEnvironments {
    private static final Logger log = LoggerFactory.getLogger(GridEnvironments.class);

    private final IMap<Integer, HashMap<String, String>> map;
    private final EnvironmentConfig config;

    GridEnvironments(IMap<Integer, HashMap<String, String>> map, EnvironmentConfig config, Seeding seeding) {
        this.map = map;
        this.config = config;
        map.addEntryListener(new Changes(), true);
        if (seeding.claim("environments")) {
            config.written().forEach((id, properties) -> map.putIfAbsent(id, new HashMap<>(properties)));
        } else {
            takeTheClusters();
        }
        config.addListener(this::publish);
    }

    private void publish(int id, Map<String, String> properties) {
        if (properties.isEmpty()) {
            map.remove(id);
        } else {
            map.put(id, new HashMap<>(properties));
        }
    }

    private void takeTheClusters() {
        Map<Integer, HashMap<String, String>> shared = new HashMap<>(map);
        Set<Integer> ids = new TreeSet<>(shared.keySet());
        ids.addAll(config.written().keySet());
        for (int id : ids) {
            Map<String, String> properties = shared.getOrDefault(id, new HashMap<>());
            if (!properties.equals(config.written().get(id))) {
                apply(id, properties);
            }
        }
    }

    private void apply(int id, Map<String, String> properties) {
        try {
            config.apply(id, properties);
            log.info("environment {} {} as the cluster has it", id, properties.isEmpty() ? "removed" : "applied");
        } catch (IOException | RuntimeException e) {
            log.error("environment {} changed in the cluster, but this node cannot apply it: {}", id, e.getMessage());
        }
    }

    /** Changes made on other nodes; this node's own were applied when it wrote them. */
    private final class Changes implements EntryAddedListener<Integer, HashMap<String, String>>,
            EntryUpdatedListener<Integer, HashMap<String, String>>, EntryRemovedListener<Integer, HashMap<String, String>> {
        @Override
        public void entryAdded(EntryEvent<Integer, HashMap<String, String>> event) {
            heard(event, event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<Integer, HashMap<String, String>> event) {
            heard(event, event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<Integer, HashMap<String, String>> event) {
            heard(event, new HashMap<>());
        }

        private void heard(EntryEvent<Integer, HashMap<String, String>> event, Map<String, String> properties) {
            if (!event.getMember().localMember() && !properties.equals(config.written().getOrDefault(event.getKey(), Map.of()))) {
                apply(event.getKey(), properties);
            }
        }
    }
}
