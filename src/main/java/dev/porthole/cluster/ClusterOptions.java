package dev.porthole.cluster;

import dev.porthole.config.Settings;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code cluster.*} settings. {@code secret} is never logged, shown or handed to the grid as it is: see
 * {@link GridName}.
 */
public record ClusterOptions(boolean enabled, List<String> members, String bindAddress, int port, String name,
        Optional<String> secret, Optional<String> nodeName, int relayQueueItems, int warmUpRounds) {
    public static final int DEFAULT_PORT = 5701;
    /**
     * Items in each queue of a terminal relayed between two nodes (see {@link GridRelayLink}): output items carry up
     * to 16 KiB, so 64 hold at most 1 MiB of a terminal's output on its agent's node, and a paste is held back after
     * 64 client messages in flight; enough that neither direction waits on the hop between the nodes.
     */
    public static final int DEFAULT_RELAY_QUEUE_ITEMS = 64;
    /**
     * Rounds of the grid's warm-up ({@link GridWarmUp}), four operations each: a fresh JVM's grid operations took
     * 1.1-1.6 ms, and 0.2-0.3 ms after 8,000.
     */
    public static final int DEFAULT_WARM_UP_ROUNDS = 5000;

    public ClusterOptions(boolean enabled, List<String> members, String bindAddress, int port, String name,
            Optional<String> secret, Optional<String> nodeName) {
        this(enabled, members, bindAddress, port, name, secret, nodeName, DEFAULT_RELAY_QUEUE_ITEMS,
                DEFAULT_WARM_UP_ROUNDS);
    }

    public ClusterOptions {
        if (relayQueueItems < 1) {
            throw new IllegalArgumentException("cluster.relay-queue-items must be at least 1, not " + relayQueueItems);
        }
        if (warmUpRounds < 0) {
            throw new IllegalArgumentException("cluster.warm-up-rounds must be 0 (no warm-up) or more, not " + warmUpRounds);
        }
    }

    public static ClusterOptions from(Settings settings) {
        List<String> members = Arrays.stream(settings.get("cluster.members", "").split(","))
                .map(String::strip).filter(member -> !member.isEmpty()).toList();
        return new ClusterOptions(settings.getBoolean("cluster.enabled", false), members,
                settings.get("cluster.address", "127.0.0.1"), settings.getInt("cluster.port", DEFAULT_PORT),
                settings.get("cluster.name", "porthole"),
                settings.get("cluster.secret").filter(secret -> !secret.isEmpty()),
                settings.get("cluster.node-name").filter(name -> !name.isBlank()),
                settings.getInt("cluster.relay-queue-items", DEFAULT_RELAY_QUEUE_ITEMS),
                settings.getInt("cluster.warm-up-rounds", DEFAULT_WARM_UP_ROUNDS));
    }

    /** These options with {@code rounds} of the grid's warm-up; 0: none, for a member that only looks (a test's). */
    public ClusterOptions withWarmUpRounds(int rounds) {
        return new ClusterOptions(enabled, members, bindAddress, port, name, secret, nodeName, relayQueueItems, rounds);
    }

    @Override
    public String toString() {
        // A record's own toString would print the secret.
        return "cluster " + name + " at " + bindAddress + ":" + port + ", members " + members
                + (secret.isPresent() ? ", with a secret" : ", without a secret");
    }
}
