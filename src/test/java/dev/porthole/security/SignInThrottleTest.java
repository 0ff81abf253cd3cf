package dev.porthole.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SignInThrottle throttle = new SignInThrottle(new SignInThrottle.Limits(2, 4),
            new SignInThrottle.Limits(5, 8), Duration.ofSeconds(1), Duration.ofMinutes(1), now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void failuresBeyondTheFreeOnesWaitLongerEachTimeThenLockOut() {
        assertFalse(throttle.failed("dave", "a1"));
        assertFalse(throttle.failed("dave", "a2"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.waitBefore("dave", "a3"));
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), throttle.waitBefore("dave", "a3"));
        assertFalse(throttle.failed("DAVE", "a3"));
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.waitBefore("Dave", "a4"), "names compare case-insensitively");
        advance(Duration.ofSeconds(2));
        assertTrue(throttle.failed("dave", "a4"), "the fourth failure locks the name out");
        assertEquals(Optional.of(Duration.ofMinutes(1)), throttle.waitBefore("dave", "a5"));
        advance(Duration.ofSeconds(61));
        assertEquals(Optional.empty(), throttle.waitBefore("dave", "a5"));
        assertFalse(throttle.failed("dave", "a5"), "an old lockout is forgotten");
    }

    @Test
    void oneAddressGuessingManyNamesIsLockedOut() {
        for (int i = 0; i < 7; i++) {
            assertFalse(throttle.failed("user" + i, "10.0.0.9"));
        }
        assertTrue(throttle.failed("user7", "10.0.0.9"));
        assertTrue(throttle.waitBefore("someone-else", "10.0.0.9").isPresent());
        assertEquals(Optional.empty(), throttle.waitBefore("someone-else", "10.0.0.10"));
    }

    @Test
    void aRightPasswordClearsTheNameButNotTheAddress() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("erin", "10.0.0.1");
        }
        throttle.succeeded("erin");
        assertEquals(Optional.empty(), throttle.waitBefore("erin", "10.0.0.2"));
        for (int i = 0; i < 3; i++) {
            throttle.failed("x" + i, "10.0.0.1");
        }
        throttle.succeeded("x0");
        assertTrue(throttle.waitBefore("x0", "10.0.0.1").isPresent());
    }
}
