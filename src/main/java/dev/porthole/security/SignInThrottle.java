package dev.porthole.security;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Slows down, then locks out, guessing: failed sign-ins are counted per user name and per client address. After
 * {@code free} failures each further attempt must wait {@code delay}, doubled with every failure; after
 * {@code lockout} failures every attempt is refused for the lockout duration, the right password included.
 * Refused attempts are answered without asking the realm, so no thread sleeps and a waiting attacker costs
 * nothing. A key is forgotten once its last failure is older than the lockout duration.
 *
 * <p>User names are counted whether or not they exist (and case-insensitively, as LDAP realms compare them),
 * so the answers never tell whether a user exists.
 */
final class SignInThrottle {
    /** Above this many tracked keys, forgotten ones are purged; it bounds the memory a spray of names can take. */
    private static final int MAX_TRACKED = 100_000;

    /** How many failures one key may have before it is slowed down, and before it is locked out. */
    record Limits(int free, int lockout) {
    }

    /** One key's failures: how many, and when the last one was (nanoTime). */
    private record Failures(int count, long last) {
    }

    private final Limits perName;
    private final Limits perAddress;
    private final Duration delay;
    private final Duration lockout;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Failures> names = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Failures> addresses = new ConcurrentHashMap<>();

    SignInThrottle(Limits perName, Limits perAddress, Duration delay, Duration lockout, LongSupplier nanoTime) {
        this.perName = perName;
        this.perAddress = perAddress;
        this.delay = delay;
        this.lockout = lockout;
        this.nanoTime = nanoTime;
    }

    /** How long this attempt must still wait, if at all. */
    Optional<Duration> waitBefore(String name, String address) {
        long now = nanoTime.getAsLong();
        long wait = Math.max(waitNanos(names.get(key(name)), perName, now), waitNanos(addresses.get(address), perAddress, now));
        return wait > 0 ? Optional.of(Duration.ofNanos(wait)) : Optional.empty();
    }

    /** Counts a failure; answers true when it locked the name or the address out. */
    boolean failed(String name, String address) {
        long now = nanoTime.getAsLong();
        int byName = count(names, key(name), now);
        int byAddress = count(addresses, address, now);
        return byName == perName.lockout() || byAddress == perAddress.lockout();
    }

    /** A right password clears the name's failures; the address's stay, or one account could launder another's guesses. */
    void succeeded(String name) {
        names.remove(key(name));
    }

    private long waitNanos(Failures failures, Limits limits, long now) {
        if (failures == null || failures.count() < limits.free() || forgotten(failures, now)) {
            return 0;
        }
        long until;
        if (failures.count() >= limits.lockout()) {
            until = failures.last() + lockout.toNanos();
        } else {
            int doublings = Math.min(failures.count() - limits.free(), 20);
            until = failures.last() + Math.min(delay.toNanos() << doublings, lockout.toNanos());
        }
        return until - now;
    }

    private int count(ConcurrentMap<String, Failures> failures, String key, long now) {
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(f -> forgotten(f, now));
        }
        Failures updated = failures.compute(key, (k, old) ->
                new Failures(old == null || forgotten(old, now) ? 1 : old.count() + 1, now));
        return updated.count();
    }

    private boolean forgotten(Failures failures, long now) {
        return now - failures.last() > lockout.toNanos();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
