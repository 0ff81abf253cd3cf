package dev.porthole.security;

import dev.porthole.config.Settings;
import dev.porthole.docker.Environments;
import java.time.Duration;
import java.util.List;

/** Assembles the security package from the configuration and hands the web app what it registers. */
public final class Security {
    private final List<String> roles;
    private final AuthFilter filter;
    private final SignIn signIn;
    private final SecurityHeaders headers;

    public Security(Settings settings, Environments environments, SecurityEvents events) {
        this.roles = Roles.all(environments.all());
        OriginPolicy origins = new OriginPolicy(settings.get("security.allowed-origins", ""));
        this.filter = new AuthFilter(new CrossSitePolicy(origins), new AttachPermission(environments), events);
        this.signIn = new SignIn(roles, throttle(settings), events);
        this.headers = new SecurityHeaders(settings.get("security.content-security-policy", SecurityHeaders.DEFAULT_POLICY));
    }

    private static SignInThrottle throttle(Settings settings) {
        return new SignInThrottle(
                new SignInThrottle.Limits(settings.getInt("security.sign-in.free-failures", 3),
                        settings.getInt("security.sign-in.lockout-failures", 10)),
                new SignInThrottle.Limits(settings.getInt("security.sign-in.free-failures-per-address", 10),
                        settings.getInt("security.sign-in.lockout-failures-per-address", 30)),
                settings.getDuration("security.sign-in.delay", Duration.ofSeconds(1)),
                settings.getDuration("security.sign-in.lockout", Duration.ofMinutes(15)),
                System::nanoTime);
    }

    /** Every role Porthole reads with these environments, to be declared to the container. */
    public List<String> roles() {
        return roles;
    }

    /** The filter before every {@code /api} request and handshake. */
    public AuthFilter filter() {
        return filter;
    }

    /** The filter before every request, pages included, that sets the browser's defences. */
    public SecurityHeaders headers() {
        return headers;
    }

    public SignIn signIn() {
        return signIn;
    }
}
