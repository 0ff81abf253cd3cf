package dev.porthole.terminal;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * Credentials that ended (a sign-out, a session's expiry, a token's revocation), remembered for a while. A terminal
 * handshake checked just before its credential ended reaches the endpoint only after the end was dealt out to the
 * terminals then open; the attach looks here, after it made its terminal findable, and ends it too. Credentials are
 * random and never come back, so remembering one a little longer than needed is harmless.
 */
final class EndedCredentials {
    private final long rememberedNanos;
    private final LongSupplier nanoTime;
    /** When each ended (nanoTime). */
    private final ConcurrentMap<String, Long> ended = new ConcurrentHashMap<>();

    /** {@code remembered} must be longer than a handshake takes from the security filter to the endpoint. */
    EndedCredentials(Duration remembered, LongSupplier nanoTime) {
        this.rememberedNanos = remembered.toNanos();
        this.nanoTime = nanoTime;
    }

    void ended(String credential) {
        ended.put(credential, nanoTime.getAsLong());
    }

    boolean hasEnded(String credential) {
        return ended.containsKey(credential);
    }

    /** Forgets the ones ended longer ago than they are remembered; run now and then. */
    void purge() {
        long now = nanoTime.getAsLong();
        ended.values().removeIf(at -> now - at > rememberedNanos);
    }
}
