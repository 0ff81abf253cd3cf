package dev.porthole.bench;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What a terminal printed, as the benchmark needs it: a running count, the recent tail, and the moment an expected
 * text arrived. The moment is taken on the thread that delivers the output, so the waiting thread's wake-up is not
 * part of a measured latency. Output is treated as text; the direct terminal maps bytes to chars one to one.
 */
final class Output {
    /** Enough tail to find any marker across chunk boundaries, small enough to copy 256 MiB through cheaply. */
    private static final int KEEP = 64 * 1024;

    private final StringBuilder tail = new StringBuilder();
    private long dropped;
    private long total;
    private String expected;
    private long searchFrom;
    private long matchedAt;
    private volatile Consumer<CharSequence> tap;

    synchronized void append(CharSequence text) {
        Consumer<CharSequence> t = tap;
        if (t != null) {
            t.accept(text);
        }
        tail.append(text);
        total += text.length();
        if (expected != null && matchedAt == 0) {
            int from = (int) Math.max(0, Math.max(searchFrom, total - text.length() - expected.length()) - dropped);
            if (tail.indexOf(expected, from) >= 0) {
                matchedAt = System.nanoTime();
                notifyAll();
            }
        }
        if (tail.length() > 2 * KEEP) {
            int cut = tail.length() - KEEP;
            tail.delete(0, cut);
            dropped += cut;
        }
    }

    /** Called before the input that should produce {@code needle}: only output from now on can match. */
    synchronized void expect(String needle) {
        expected = needle;
        searchFrom = total;
        matchedAt = 0;
    }

    /** When the expected text arrived, or 0 while it has not. */
    synchronized long matchedAt() {
        return matchedAt;
    }

    /** Waits for the expected text and answers System.nanoTime() of its arrival. */
    synchronized long await(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matchedAt == 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no '" + expected + "' within " + timeout + "; last output: "
                        + Text.printable(tail.substring(Math.max(0, tail.length() - 300))));
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return matchedAt;
    }

    /** Expects {@code needle} and waits for it; for text that may already be on its way (a prompt). */
    long awaitFromStart(String needle, Duration timeout) throws TimeoutException, InterruptedException {
        synchronized (this) {
            expected = needle;
            searchFrom = 0;
            matchedAt = tail.indexOf(needle) >= 0 ? System.nanoTime() : 0;
        }
        return await(timeout);
    }

    synchronized long total() {
        return total;
    }

    synchronized String tail() {
        return tail.toString();
    }

    /** Sees every chunk as it arrives, on the delivering thread. */
    void tap(Consumer<CharSequence> tap) {
        this.tap = tap;
    }
}
