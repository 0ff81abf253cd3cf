package dev.porthole.edge;

import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.security.ClientAddresses;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Finds the environment of an agent's token hash, and throttles guessing: after {@code maxFailures} failed hellos
 * from one address ({@link ClientAddresses#key}: an IPv6 /64 is one) within the lockout, that address is refused until the lockout has passed since its last
 * failure (Dockhand: 5 minutes per address). Every stored hash is compared, in constant time, whether or not an
 * earlier one matched, so the time taken does not tell how many environments there are or which one is close.
 */
final class AgentAuthenticator {
    private static final int MAX_TRACKED = 10_000;

    private record Failures(int count, long last) {
    }

    private final Environments environments;
    private final int maxFailures;
    private final Duration lockout;
    private final LongSupplier nanoTime;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    AgentAuthenticator(Environments environments, int maxFailures, Duration lockout, LongSupplier nanoTime) {
        this.environments = environments;
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.nanoTime = nanoTime;
    }

    boolean lockedOut(String address) {
        Failures f = failures.get(ClientAddresses.key(address));
        return f != null && f.count() >= maxFailures && nanoTime.getAsLong() - f.last() < lockout.toNanos();
    }

    /** The edge environment whose token hashes to {@code tokenHash}; a miss counts against {@code address}. */
    Optional<Environment> authenticate(String tokenHash, String address) {
        Environment found = null;
        for (Environment environment : environments.all()) {
            if (environment.isEdge() && AgentTokens.sameHash(environment.agentTokenSha256(), tokenHash) && found == null) {
                found = environment;
            }
        }
        if (found == null) {
            failed(address);
        }
        return Optional.ofNullable(found);
    }

    private void failed(String address) {
        long now = nanoTime.getAsLong();
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(f -> now - f.last() > lockout.toNanos());
        }
        failures.compute(ClientAddresses.key(address), (k, old) ->
                new Failures(old == null || now - old.last() > lockout.toNanos() ? 1 : old.count() + 1, now));
    }
}
