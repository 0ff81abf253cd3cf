package dev.porthole.cluster;

import dev.porthole.terminal.TerminalDirectory.Change;
import dev.porthole.terminal.TerminalDirectory.Limit;
import dev.porthole.terminal.TerminalOptions;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The cluster's terminals counted for the limits: waiting and open per user, and all of them. One value under one
 * key of the grid, so that a create checks every limit and counts itself in one atomic step of the member that owns
 * the key: creates racing on several nodes never pass a limit together. Immutable; users at zero are left out, so
 * that users who come and go leave nothing behind.
 */
record TerminalCounts(Map<String, Owned> users, int total) implements Serializable {
    static final TerminalCounts NONE = new TerminalCounts(Map.of(), 0);

    /** One user's terminals: waiting for their client, and open. */
    record Owned(int waiting, int open) implements Serializable {
    }

    /** The limit that {@code owner}'s one more waiting terminal would pass, or null when there is room. */
    Limit limitReachedBy(String owner, TerminalOptions.Limits limits) {
        Owned owned = users.getOrDefault(owner, new Owned(0, 0));
        if (owned.waiting() >= limits.pendingPerUser()) {
            return Limit.PENDING_PER_USER;
        }
        if (owned.open() >= limits.sessionsPerUser()) {
            return Limit.SESSIONS_PER_USER;
        }
        return total >= limits.sessionsTotal() ? Limit.SESSIONS_TOTAL : null;
    }

    TerminalCounts added(String owner) {
        return with(owner, 1, 0, 1);
    }

    /** The counts after {@code change} of a terminal of {@code owner}; never below zero, whatever was lost. */
    TerminalCounts changed(String owner, Change change) {
        return switch (change) {
            case ATTACHED -> with(owner, -1, 1, 0);
            case WAITING_ENDED -> with(owner, -1, 0, -1);
            case OPEN_ENDED -> with(owner, 0, -1, -1);
        };
    }

    int waiting(String owner) {
        return users.getOrDefault(owner, new Owned(0, 0)).waiting();
    }

    int open(String owner) {
        return users.getOrDefault(owner, new Owned(0, 0)).open();
    }

    private TerminalCounts with(String owner, int waiting, int open, int all) {
        Owned before = users.getOrDefault(owner, new Owned(0, 0));
        Owned after = new Owned(Math.max(0, before.waiting() + waiting), Math.max(0, before.open() + open));
        Map<String, Owned> next = new HashMap<>(users);
        if (after.waiting() == 0 && after.open() == 0) {
            next.remove(owner);
        } else {
            next.put(owner, after);
        }
        return new TerminalCounts(Map.copyOf(next), Math.max(0, total + all));
    }
}
