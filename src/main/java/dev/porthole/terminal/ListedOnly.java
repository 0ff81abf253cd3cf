package dev.porthole.terminal;

import dev.porthole.error.Problem;
import java.time.Duration;
import java.util.function.IntPredicate;

/**
 * Tells its observer only of terminals on listed environments: what the server runs on its own unlisted ones (its
 * warm-up) is no one's activity, and must show in no audit record, recording or metric.
 */
final class ListedOnly implements TerminalObserver {
    private static final Watch UNSEEN = (why, exitCode, bytesIn, bytesOut) -> { };

    private final IntPredicate unlisted;
    private final TerminalObserver observer;

    ListedOnly(IntPredicate unlisted, TerminalObserver observer) {
        this.unlisted = unlisted;
        this.observer = observer;
    }

    @Override
    public void execCreated(int environmentId, Duration took, Problem refusal) {
        if (!unlisted.test(environmentId)) {
            observer.execCreated(environmentId, took, refusal);
        }
    }

    @Override
    public Watch started(Terminal terminal) {
        return unlisted.test(terminal.environmentId()) ? UNSEEN : observer.started(terminal);
    }
}
