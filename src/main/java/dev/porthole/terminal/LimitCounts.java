package dev.porthole.terminal;

import java.util.Optional;

/**
 * The counts behind the limits: waiting and open terminals per user, and all of them. This node's own, kept beside
 * its table; in a cluster also the cluster's, kept by the {@link TerminalDirectory}, where a create checks and
 * counts itself in one atomic step so that creates racing on several nodes never pass a limit together. Each
 * terminal is counted in the cluster by the node that holds it while it waits and runs it once attached; a terminal
 * the cluster does not share ({@link TerminalSpec#shared}) is counted on its node only.
 */
final class LimitCounts {
    private final OwnerCounts waiting = new OwnerCounts();
    private final OwnerCounts open = new OwnerCounts();
    private final TerminalDirectory directory;

    LimitCounts(TerminalDirectory directory) {
        this.directory = directory;
    }

    /**
     * Counts one more waiting terminal of {@code owner} in the cluster if no limit is reached, for a terminal it will
     * share; otherwise looks at this node's counts ({@code all}: its terminals, waiting or open), and {@link #added}
     * counts it. Answers the limit reached, if one is.
     */
    Optional<TerminalDirectory.Limit> reserve(String owner, TerminalOptions.Limits limits, int all, boolean shared) {
        if (shared) {
            return directory.reserve(owner, limits);
        }
        if (waiting.of(owner) >= limits.pendingPerUser()) {
            return Optional.of(TerminalDirectory.Limit.PENDING_PER_USER);
        }
        if (open.of(owner) >= limits.sessionsPerUser()) {
            return Optional.of(TerminalDirectory.Limit.SESSIONS_PER_USER);
        }
        if (all >= limits.sessionsTotal()) {
            return Optional.of(TerminalDirectory.Limit.SESSIONS_TOTAL);
        }
        return Optional.empty();
    }

    /** Gives back what {@link #reserve} counted, for a create that went no further, or a claim that did. */
    void unreserve(String owner, boolean shared) {
        if (shared) {
            directory.counted(owner, TerminalDirectory.Change.WAITING_ENDED);
        }
    }

    /** A waiting terminal of {@code owner} is in this node's table now. */
    void added(String owner) {
        waiting.added(owner);
    }

    /**
     * A terminal of {@code owner} moved; {@code inClusterCounts}: this node tells the cluster's counts of the move (it is
     * shared, and was not dropped: ended here because another node claimed it, which counts it from then on). Called
     * under the terminal's lock, so two changes of one never cross.
     */
    void moved(String owner, Terminal.State from, Terminal.State to, boolean inClusterCounts) {
        if (from == Terminal.State.WAITING) {
            waiting.removed(owner);
        }
        if (to == Terminal.State.STARTING) {
            open.added(owner);
        }
        if (to == Terminal.State.ENDED && from != Terminal.State.WAITING) {
            open.removed(owner);
        }
        if (!inClusterCounts) {
            return;
        }
        if (from == Terminal.State.WAITING && to == Terminal.State.STARTING) {
            directory.counted(owner, TerminalDirectory.Change.ATTACHED);
        } else if (to == Terminal.State.ENDED) {
            directory.counted(owner, from == Terminal.State.WAITING ? TerminalDirectory.Change.WAITING_ENDED
                    : TerminalDirectory.Change.OPEN_ENDED);
        }
    }

    int waitingOf(String owner) {
        return waiting.of(owner);
    }

    int openOf(String owner) {
        return open.of(owner);
    }
}
