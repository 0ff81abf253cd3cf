package dev.porthole.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/** Failed sign-ins in this JVM only, for a single node. */
final class LocalFailures implements FailureTable {
    /** Above this many tracked keys, forgotten ones are purged; it bounds the memory a spray of names can take. */
    private static final int MAX_TRACKED = 100_000;

    private final ConcurrentMap<String, SignInFailures> failures = new ConcurrentHashMap<>();
    private final long forgetAfterNanos;
    private final LongSupplier clock;

    LocalFailures(long forgetAfterNanos, LongSupplier clock) {
        this.forgetAfterNanos = forgetAfterNanos;
        this.clock = clock;
    }

    @Override
    public SignInFailures update(String key, UnaryOperator<SignInFailures> update) {
        if (failures.size() >= MAX_TRACKED) {
            long now = clock.getAsLong();
            failures.values().removeIf(f -> now - f.last() > forgetAfterNanos);
        }
        return failures.compute(key, (k, old) -> update.apply(old));
    }

    @Override
    public SignInFailures get(String key) {
        return failures.get(key);
    }
}
