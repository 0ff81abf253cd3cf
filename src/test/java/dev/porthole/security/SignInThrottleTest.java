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

    /** An attempt let through, which then fails; answers whether it locked out. */
    private boolean fails(String name, String address) {
        SignInThrottle.Attempt attempt = throttle.attempt(name, address);
        assertEquals(Optional.empty(), attempt.refusedFor(), name + " from " + address + " was refused");
        return attempt.locksOut();
    }

    private Optional<Duration> waitOf(String name, String address) {
        SignInThrottle.Attempt attempt = throttle.attempt(name, address);
        if (attempt.refusedFor().isEmpty()) {
            throttle.abandoned(attempt); // only looking
        }
        return attempt.refusedFor();
    }

    @Test
    void failuresBeyondTheFreeOnesWaitLongerEachTimeThenLockOut() {
        assertFalse(fails("dave", "10.0.0.1"));
        assertFalse(fails("dave", "10.0.0.2"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), waitOf("dave", "10.0.0.3"));
        advance(Duration.ofSeconds(1));
        assertFalse(fails("DAVE", "10.0.0.3"));
        assertEquals(Optional.of(Duration.ofSeconds(2)), waitOf("Dave", "10.0.0.4"), "names compare case-insensitively");
        advance(Duration.ofSeconds(2));
        assertTrue(fails("dave", "10.0.0.4"), "the fourth failure locks the name out");
        assertEquals(Optional.of(Duration.ofMinutes(1)), waitOf("dave", "10.0.0.5"));
        advance(Duration.ofSeconds(61));
        assertFalse(fails("dave", "10.0.0.5"), "an old lockout is forgotten");
    }

    @Test
    void anAttemptCountsBeforeTheRealmIsAskedSoAttemptsAtOnceGetNoMoreThanTheFreeOnes() {
        SignInThrottle.Attempt first = throttle.attempt("erin", "10.0.0.1");
        SignInThrottle.Attempt second = throttle.attempt("erin", "10.0.0.2");
        SignInThrottle.Attempt third = throttle.attempt("erin", "10.0.0.3");
        assertEquals(Optional.empty(), first.refusedFor());
        assertEquals(Optional.empty(), second.refusedFor());
        assertTrue(third.refusedFor().isPresent(), "the realm has not answered the first two yet");
        throttle.succeeded(first);
        assertEquals(Optional.empty(), throttle.attempt("erin", "10.0.0.3").refusedFor(), "a right password clears the name");
    }

    @Test
    void oneAddressGuessingManyNamesIsLockedOut() {
        for (int i = 0; i < 7; i++) {
            advance(Duration.ofSeconds(10)); // past each wait, well within the minute that keeps failures
            assertFalse(fails("user" + i, "10.0.0.9"));
        }
        advance(Duration.ofSeconds(10));
        assertTrue(fails("user7", "10.0.0.9"));
        assertTrue(waitOf("someone-else", "10.0.0.9").isPresent());
        assertEquals(Optional.empty(), waitOf("someone-else", "10.0.0.10"));
    }

    @Test
    void aRightPasswordClearsTheNameButNotTheAddress() {
        for (int i = 0; i < 3; i++) {
            advance(Duration.ofSeconds(5));
            fails("erin", "10.0.0.1");
        }
        throttle.succeeded(throttle.attempt("erin", "10.0.0.2"));
        assertEquals(Optional.empty(), waitOf("erin", "10.0.0.2"));
        for (int i = 0; i < 2; i++) {
            fails("x" + i, "10.0.0.1");
        }
        assertTrue(waitOf("x9", "10.0.0.1").isPresent(), "five failures from the address, the right password uncounted");
    }

    @Test
    void aRealmThatCannotAnswerGivesTheAttemptBack() {
        throttle.abandoned(throttle.attempt("frank", "10.0.0.1"));
        throttle.abandoned(throttle.attempt("frank", "10.0.0.1"));
        throttle.abandoned(throttle.attempt("frank", "10.0.0.1"));
        assertEquals(Optional.empty(), waitOf("frank", "10.0.0.1"));
    }

    @Test
    void namesAreKeyedAsLooselyAsARealmComparesThem() {
        String key = SignInThrottle.nameKey("admin");
        for (String spelling : new String[] {"Admin", " admin", "admin  ", "ＡＤＭＩＮ", "ad\u200Bmin", "ad\u00ADmin", "\u3000admin"}) {
            assertEquals(key, SignInThrottle.nameKey(spelling), spelling);
        }
        assertEquals("john smith", SignInThrottle.nameKey(" John \u00A0 Smith "));
        assertEquals("strasse", SignInThrottle.nameKey("Straße"));
    }

    @Test
    void addressesAreKeyedPerIpv4AddressAndPerIpv6Network() {
        assertEquals("192.0.2.1", ClientAddresses.key("192.0.2.1"));
        assertEquals("192.0.2.1", ClientAddresses.key("::ffff:192.0.2.1"));
        assertEquals(ClientAddresses.key("2001:db8:1:2::1"), ClientAddresses.key("2001:DB8:1:2:ffff:0:0:9"));
        assertEquals(ClientAddresses.key("2001:db8:1:2::1"), ClientAddresses.key("[2001:db8:1:2::1]"));
        assertFalse(ClientAddresses.key("2001:db8:1:2::1").equals(ClientAddresses.key("2001:db8:1:3::1")));
        assertEquals("not-an-address", ClientAddresses.key("Not-An-Address"), "no name is looked up");
    }
}
