package dev.porthole.cluster;

import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.porthole.security.CredentialEnds;
import dev.porthole.security.FailureTable;
import dev.porthole.security.SharedSecurity;
import dev.porthole.security.SignedInSessions;
import dev.porthole.security.TokenStore;
import dev.porthole.security.TokenTable;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The security state of a cluster, in the grid's maps ({@code porthole.*}); each map keeps a backup copy on a
 * second member (Hazelcast's default), so one node's end loses none of it.
 */
final class GridSecurity implements SharedSecurity {
    private final HazelcastInstance hazelcast;
    private final Seeding seeding;
    private final CredentialEnds ends;

    GridSecurity(HazelcastInstance hazelcast, Seeding seeding, CredentialEnds ends) {
        this.hazelcast = hazelcast;
        this.seeding = seeding;
        this.ends = ends;
    }

    /** The wall clock: the nodes' {@code nanoTime}s have no common origin, and failures are compared across them. */
    @Override
    public LongSupplier clock() {
        return () -> System.currentTimeMillis() * 1_000_000L;
    }

    @Override
    public FailureTable failures(String kind, Duration after) {
        String name = "porthole.sign-in-failures." + kind;
        try {
            hazelcast.getConfig().addMapConfig(new MapConfig(name)
                    .setTimeToLiveSeconds((int) Math.max(1, after.toSeconds() + 1)));
        } catch (InvalidConfigurationException e) {
            throw new IllegalStateException("security.sign-in.lockout is " + after + " here and another in the cluster's "
                    + "other nodes: every node must count failed sign-ins alike", e);
        }
        return new GridFailures(hazelcast.getMap(name));
    }

    @Override
    public TokenTable tokens(TokenStore file) {
        return new GridTokens(hazelcast.getMap("porthole.api-tokens"), file, seeding, ends);
    }

    @Override
    public SignedInSessions sessions() {
        return new GridSessions(hazelcast.getMap("porthole.sign-ins"), ends);
    }
}
