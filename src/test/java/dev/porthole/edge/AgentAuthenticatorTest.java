package dev.porthole.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AgentAuthenticatorTest {
    private final AtomicLong now = new AtomicLong();
    private final Environments environments = new Environments(Map.of(
            4, Environment.edge(4, "nas", AgentTokens.sha256Hex("four"), Duration.ofSeconds(5), Duration.ofSeconds(60)),
            5, Environment.edge(5, "pi", null, Duration.ofSeconds(5), Duration.ofSeconds(60))),
            e -> { throw new AssertionError("no engine is made"); });
    private final AgentAuthenticator authenticator = new AgentAuthenticator(environments, 3, Duration.ofMinutes(5), now::get);

    @Test
    void aTokensHashFindsItsEnvironmentAndNothingElseDoes() {
        assertEquals(4, authenticator.authenticate(AgentTokens.sha256Hex("four"), "a").orElseThrow().id());
        assertTrue(authenticator.authenticate(AgentTokens.sha256Hex("five"), "a").isEmpty());
        assertTrue(authenticator.authenticate("", "a").isEmpty());
    }

    @Test
    void anAddressIsLockedOutAfterItsFailuresUntilTheLockoutPassed() {
        for (int i = 0; i < 3; i++) {
            assertFalse(authenticator.lockedOut("10.0.0.9"));
            authenticator.authenticate(AgentTokens.sha256Hex("guess" + i), "10.0.0.9");
        }
        assertTrue(authenticator.lockedOut("10.0.0.9"));
        assertFalse(authenticator.lockedOut("10.0.0.10"));
        now.addAndGet(Duration.ofMinutes(5).toNanos() + 1);
        assertFalse(authenticator.lockedOut("10.0.0.9"));
    }
}
