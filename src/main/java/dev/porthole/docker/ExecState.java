package dev.porthole.docker;

import java.util.function.Supplier;

/** What the engine says about an exec instance: still running, and its exit code once it is not. */
public record ExecState(boolean running, Integer exitCode) {
    private static final long POLL_MILLIS = 20;

    /**
     * Asks {@code inspect} every 20 ms until the exec no longer runs or {@link System#nanoTime} passed
     * {@code deadlineNanos}, and answers what it said last: still running when time ran out or the wait was
     * interrupted. An exec's stream ends a moment before the engine records its exit, so whoever wants the exit
     * code right after the stream ended asks more than once.
     */
    public static ExecState awaitEnd(Supplier<ExecState> inspect, long deadlineNanos) {
        while (true) {
            ExecState state = inspect.get();
            if (!state.running() || System.nanoTime() - deadlineNanos > 0) {
                return state;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return state;
            }
        }
    }
}
