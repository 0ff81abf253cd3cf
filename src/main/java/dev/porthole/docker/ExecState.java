package dev.porthole.docker;

import java.util.function.IntPredicate;
import java.util.function.Supplier;

/** What the engine says about an exec instance: still running, and its exit code once it is not. */
public record ExecState(boolean running, Integer exitCode) {
    private static final long POLL_MILLIS = 20;

    /**
     * Asks {@code inspect} every 20 ms until the exec no longer runs or {@link System#nanoTime} passed
     * {@code deadlineNanos}, and answers what it said last. For a command given a time to run.
     */
    public static ExecState awaitEndBy(Supplier<ExecState> inspect, long deadlineNanos) {
        return awaitEnd(inspect, asked -> System.nanoTime() - deadlineNanos <= 0);
    }

    /**
     * Asks {@code inspect} at most {@code inspections} times, 20 ms apart, until the exec no longer runs, and answers
     * what it said last. An exec's stream ends a moment before the engine records its exit, so whoever wants the exit
     * code right after the stream ended asks more than once; counted in inspections rather than time, since a busy
     * engine takes longer both to answer and to record the exit.
     */
    public static ExecState awaitEndIn(Supplier<ExecState> inspect, int inspections) {
        return awaitEnd(inspect, asked -> asked < inspections);
    }

    /** Answers the last state, still running when {@code more} said no more or the wait was interrupted. */
    private static ExecState awaitEnd(Supplier<ExecState> inspect, IntPredicate more) {
        for (int asked = 1; ; asked++) {
            ExecState state = inspect.get();
            if (!state.running() || !more.test(asked)) {
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
