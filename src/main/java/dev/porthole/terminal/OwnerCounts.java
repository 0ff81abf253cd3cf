package dev.porthole.terminal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * How many entries of a map each user owns, kept beside the map so that the per-user limits checked on every
 * exec create cost one lookup instead of a scan of every pending exec instance or live terminal: with a thousand
 * of them, that scan was most of the server's CPU time of a create. Callers count exactly the entries they
 * actually put or removed.
 */
final class OwnerCounts {
    private final ConcurrentMap<String, Integer> counts = new ConcurrentHashMap<>();

    void added(String owner) {
        counts.merge(owner, 1, Integer::sum);
    }

    /** Forgets an owner at zero, so that users who come and go leave nothing behind. */
    void removed(String owner) {
        counts.computeIfPresent(owner, (key, n) -> n <= 1 ? null : n - 1);
    }

    int of(String owner) {
        return counts.getOrDefault(owner, 0);
    }
}
