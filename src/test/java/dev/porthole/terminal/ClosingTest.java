package dev.porthole.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The count behind limits.closing, the wait of exec create, and the Retry-After it answers when the wait ran out. */
class ClosingTest {
    private static final Duration UNKNOWN = Duration.ofSeconds(10);

    @Test
    void aCreateWaitsUntilFewerThanTheLimitAreClosing() throws Exception {
        Closing closing = new Closing();
        closing.started();
        closing.started();
        Thread finisher = new Thread(() -> {
            while (!closing.waitedFor()) {
                Thread.onSpinWait();
            }
            closing.finished();
        });
        finisher.start();
        assertTrue(closing.awaitBelow(2, Duration.ofMinutes(1)));
        finisher.join();
        assertEquals(1, closing.count());
        assertFalse(closing.waitedFor());
    }

    @Test
    void aCreateGivesUpAfterItsPatience() {
        Closing closing = new Closing();
        closing.started();
        long started = System.nanoTime();
        assertFalse(closing.awaitBelow(1, Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(200).toNanos());
    }

    @Test
    void withNothingFinishedLatelyTheRetryIsNotKnown() {
        Closing closing = new Closing();
        for (int i = 0; i < 100; i++) {
            closing.started();
        }
        assertEquals(UNKNOWN, closing.retryAfter(64, UNKNOWN));
    }

    /**
     * 10 finished within a second (the rate is taken over a second at least), so 10 a second at most: the 21 over
     * the limit take 3 s at least. A slower machine only makes the rate lower and the answer longer.
     */
    @Test
    void theRetryFollowsTheRateAtWhichTerminalsFinishClosing() {
        Closing closing = new Closing();
        for (int i = 0; i < 94; i++) {
            closing.started();
        }
        for (int i = 0; i < 10; i++) {
            closing.finished();
        }
        Duration retry = closing.retryAfter(64, UNKNOWN);
        assertTrue(retry.toSeconds() >= 3 && retry.toSeconds() <= 60, retry.toString());
    }
}
