package dev.porthole.metrics;

import dev.porthole.security.SecurityEvents;
import dev.porthole.security.SignInFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Failed sign-ins, by whether the realm refused the password ({@code wrong_password}) or the throttle refused the
 * attempt before asking it ({@code throttled}), and the lockouts they caused. No user names or addresses: those
 * are in the audit.
 */
final class SignInMeters implements SecurityEvents {
    private final Counter wrongPassword;
    private final Counter throttled;
    private final Counter lockouts;

    SignInMeters(MeterRegistry registry) {
        this.wrongPassword = failures(registry, "wrong_password");
        this.throttled = failures(registry, "throttled");
        this.lockouts = Counter.builder("porthole.signin.lockouts")
                .description("failed sign-ins that locked a user name or an address out").register(registry);
    }

    private static Counter failures(MeterRegistry registry, String reason) {
        return Counter.builder("porthole.signin.failures").description("failed sign-ins, by reason")
                .tag("reason", reason).register(registry);
    }

    @Override
    public void signInFailed(String user, String client, SignInFailure failure) {
        switch (failure) {
            case WRONG_PASSWORD -> wrongPassword.increment();
            case LOCKED_OUT -> {
                wrongPassword.increment();
                lockouts.increment();
            }
            case THROTTLED -> throttled.increment();
        }
    }
}
