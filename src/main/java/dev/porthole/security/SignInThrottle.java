package dev.porthole.security;

import java.text.Normalizer;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Slows down, then locks out, guessing: failed sign-ins are counted per user name and per client address. After
 * {@code free} failures each further attempt must wait {@code delay}, doubled with every failure; after
 * {@code lockout} failures every attempt is refused for the lockout duration, the right password included.
 * Refused attempts are answered without asking the realm, so no thread sleeps and a waiting attacker costs
 * nothing. A key is forgotten once its last failure is older than the lockout duration.
 *
 * <p>An attempt is counted as a failure when it is let through, before the realm is asked, and given back if the
 * password was right: attempts sent at once therefore reach the realm no more often than the free failures allow.
 *
 * <p>User names are counted whether or not they exist, so the answers never tell whether a user exists, and as
 * loosely as any realm compares them (LDAP's caseIgnoreMatch: invisible characters dropped, compatibility forms
 * such as full-width letters folded, case folded, surrounding spaces dropped and inner ones collapsed), so that no
 * spelling of a name gets fresh counters. Addresses are counted per {@link ClientAddresses#key}.
 *
 * <p>The counts live in two {@link FailureTable}s: this JVM's for a single node, the grid's for a cluster, where
 * every node counts into the same ones (and {@code clock} is the wall clock, which the nodes share).
 */
final class SignInThrottle {
    private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");

    /** How many failures one key may have before it is slowed down, and before it is locked out. */
    record Limits(int free, int lockout) {
    }

    /**
     * One attempt: refused for {@code wait}, or let through and counted as the {@code byName}-th failure of its name
     * and the {@code byAddress}-th of its address until {@link #succeeded} says otherwise.
     */
    final class Attempt {
        private final String name;
        private final String address;
        private final Duration wait;
        private final int byName;
        private final int byAddress;

        private Attempt(String name, String address, Duration wait, int byName, int byAddress) {
            this.name = name;
            this.address = address;
            this.wait = wait;
            this.byName = byName;
            this.byAddress = byAddress;
        }

        /** How long this attempt must still wait; empty when the realm may be asked. */
        Optional<Duration> refusedFor() {
            return Optional.ofNullable(wait);
        }

        /** Whether this attempt, failed, locked its name or its address out. */
        boolean locksOut() {
            return byName == perName.lockout() || byAddress == perAddress.lockout();
        }
    }

    private final Limits perName;
    private final Limits perAddress;
    private final Duration delay;
    private final Duration lockout;
    private final LongSupplier nanoTime;
    private final FailureTable names;
    private final FailureTable addresses;

    /** {@code nanoTime}: the clock of the failures' times, in nanoseconds; the tables' own if they share one. */
    SignInThrottle(Limits perName, Limits perAddress, Duration delay, Duration lockout, LongSupplier nanoTime,
            FailureTable names, FailureTable addresses) {
        this.perName = perName;
        this.perAddress = perAddress;
        this.delay = delay;
        this.lockout = lockout;
        this.nanoTime = nanoTime;
        this.names = names;
        this.addresses = addresses;
    }

    /** Counts in this JVM only, on {@code nanoTime}. */
    SignInThrottle(Limits perName, Limits perAddress, Duration delay, Duration lockout, LongSupplier nanoTime) {
        this(perName, perAddress, delay, lockout, nanoTime, new LocalFailures(lockout.toNanos(), nanoTime),
                new LocalFailures(lockout.toNanos(), nanoTime));
    }

    /** Refuses the attempt if its name or address must wait, and otherwise counts it as failed, atomically per key. */
    Attempt attempt(String name, String address) {
        long now = nanoTime.getAsLong();
        String nameKey = nameKey(name);
        String addressKey = ClientAddresses.key(address);
        int[] byName = new int[1];
        long nameWait = count(names, nameKey, perName, now, byName);
        if (nameWait > 0) {
            long addressWait = waitNanos(addresses.get(addressKey), perAddress, now);
            return new Attempt(nameKey, addressKey, Duration.ofNanos(Math.max(nameWait, addressWait)), 0, 0);
        }
        int[] byAddress = new int[1];
        long addressWait = count(addresses, addressKey, perAddress, now, byAddress);
        if (addressWait > 0) {
            giveBack(names, nameKey);
            return new Attempt(nameKey, addressKey, Duration.ofNanos(addressWait), 0, 0);
        }
        return new Attempt(nameKey, addressKey, null, byName[0], byAddress[0]);
    }

    /**
     * The password was right: the name's failures are cleared, and the address gets this attempt back; its earlier
     * failures stay, or one account could launder another's guesses.
     */
    void succeeded(Attempt attempt) {
        names.update(attempt.name, old -> null);
        giveBack(addresses, attempt.address);
    }

    /** The realm could not answer (rather than saying no): the attempt was not a guess, so it is given back. */
    void abandoned(Attempt attempt) {
        giveBack(names, attempt.name);
        giveBack(addresses, attempt.address);
    }

    /** Counts one more failure of {@code key} unless it must wait; answers the wait (0 when counted). */
    private long count(FailureTable failures, String key, Limits limits, long now, int[] counted) {
        long[] wait = new long[1];
        failures.update(key, old -> {
            SignInFailures current = old == null || forgotten(old, now) ? null : old;
            wait[0] = waitNanos(current, limits, now);
            if (wait[0] > 0) {
                return old;
            }
            SignInFailures next = new SignInFailures(current == null ? 1 : current.count() + 1, now);
            counted[0] = next.count();
            return next;
        });
        return wait[0];
    }

    private static void giveBack(FailureTable failures, String key) {
        failures.update(key, old -> old == null || old.count() <= 1 ? null : new SignInFailures(old.count() - 1, old.last()));
    }

    private long waitNanos(SignInFailures failures, Limits limits, long now) {
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

    private boolean forgotten(SignInFailures failures, long now) {
        return now - failures.last() > lockout.toNanos();
    }

    /** A name as the loosest realm compares it; see the class comment. */
    static String nameKey(String name) {
        StringBuilder visible = new StringBuilder(name.length());
        name.codePoints().filter(c -> Character.getType(c) != Character.FORMAT).forEach(visible::appendCodePoint);
        String folded = Normalizer.normalize(visible, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        // NFKC again: case folding can produce characters that compose differently.
        folded = Normalizer.normalize(folded, Normalizer.Form.NFKC);
        return SPACES.matcher(folded).replaceAll(" ").strip();
    }
}
