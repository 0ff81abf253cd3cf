package dev.porthole.terminal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Terminals that ended and whose processes are still being ended. Each still holds a shell and a pty in its container:
 * opening terminals faster than they could be ended once piled shells up until the engine ran out of ptys, so exec
 * create waits while there are {@code limits.closing} of them. A create refused after that wait is told when to try
 * again, from the rate at which closing terminals have been finishing.
 */
final class Closing {
    /** Finishes remembered for the rate: enough to smooth one batch of a sweep, few enough to follow a change. */
    private static final int RATE_SAMPLES = 64;
    /** A rate older than this says nothing about now. */
    private static final long RATE_MAX_AGE = TimeUnit.SECONDS.toNanos(60);
    private static final long MAX_RETRY_SECONDS = 60;

    private final long[] finishes = new long[RATE_SAMPLES];
    private long finished;
    private int count;
    private int waiting;

    synchronized void started() {
        count++;
    }

    synchronized void finished() {
        count--;
        finishes[(int) (finished++ % RATE_SAMPLES)] = System.nanoTime();
        notifyAll();
    }

    synchronized int count() {
        return count;
    }

    /** Whether an exec create is waiting for closing terminals to finish: then ending them must not wait for anything. */
    synchronized boolean waitedFor() {
        return waiting > 0;
    }

    /** Waits, at most {@code patience}, until fewer than {@code limit} are closing; answers whether they are. */
    synchronized boolean awaitBelow(int limit, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        waiting++;
        try {
            while (count >= limit) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting--;
        }
    }

    /**
     * How long until fewer than {@code limit} are closing, at the rate they finished lately: at least a second, at
     * most a minute, and {@code unknown} when none finished in the last minute (the engine may be stuck or gone).
     */
    synchronized Duration retryAfter(int limit, Duration unknown) {
        int samples = (int) Math.min(finished, RATE_SAMPLES);
        long now = System.nanoTime();
        long newest = finishes[(int) ((finished - 1 + RATE_SAMPLES) % RATE_SAMPLES)];
        long oldest = finishes[(int) ((finished - samples + RATE_SAMPLES) % RATE_SAMPLES)];
        if (samples == 0 || now - newest > RATE_MAX_AGE) {
            return unknown;
        }
        // Over a second at least: a sweep finishes its whole batch at one moment, which is no rate.
        double perSecond = samples * 1e9 / Math.max(now - oldest, TimeUnit.SECONDS.toNanos(1));
        long seconds = (long) Math.ceil((count - limit + 1) / perSecond);
        return Duration.ofSeconds(Math.max(1, Math.min(MAX_RETRY_SECONDS, seconds)));
    }
}
