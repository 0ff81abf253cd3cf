package dev.porthole.security;

import dev.porthole.config.Settings;
import dev.porthole.docker.Environments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Assembles the security package from the configuration and hands the web app what it registers. */
public final class Security {
    private final List<String> roles;
    private final AuthFilter filter;
    private final SignIn signIn;
    private final SecurityHeaders headers;
    private final TokenService tokens;

    /**
     * {@code dataDirectory} holds the API tokens unless {@code security.tokens-file} names another place;
     * {@code waitingExecs} are the exec instances a terminal handshake may attach; {@code shared} holds what the nodes
     * of a cluster share (this JVM alone: {@link SharedSecurity#local}); {@code ends} ends what a credential opened.
     */
    public Security(Settings settings, Environments environments, SecurityEvents events, Path dataDirectory,
            WaitingExecs waitingExecs, SharedSecurity shared, CredentialEnds ends) {
        // Read again at every use, so that the roles of an environment added at run time work at once.
        Supplier<List<String>> knownRoles = () -> Roles.all(environments.all());
        this.roles = knownRoles.get();
        OriginPolicy origins = new OriginPolicy(settings.get("security.allowed-origins", ""));
        TokenStore file = new TokenStore(Path.of(settings.get("security.tokens-file",
                dataDirectory.resolve("tokens.json").toString())));
        this.tokens = new TokenService(shared.tokens(file), knownRoles, events, ends);
        SignedInSessions sessions = shared.sessions();
        this.filter = new AuthFilter(new CrossSitePolicy(origins), new AttachPermission(environments, waitingExecs),
                tokens, sessions, events);
        this.signIn = new SignIn(knownRoles, throttle(settings, shared), events, sessions);
        this.headers = new SecurityHeaders(settings.get("security.content-security-policy", SecurityHeaders.DEFAULT_POLICY));
    }

    private static SignInThrottle throttle(Settings settings, SharedSecurity shared) {
        Duration lockout = settings.getDuration("security.sign-in.lockout", Duration.ofMinutes(15));
        return new SignInThrottle(
                new SignInThrottle.Limits(settings.getInt("security.sign-in.free-failures", 3),
                        settings.getInt("security.sign-in.lockout-failures", 10)),
                new SignInThrottle.Limits(settings.getInt("security.sign-in.free-failures-per-address", 10),
                        settings.getInt("security.sign-in.lockout-failures-per-address", 30)),
                settings.getDuration("security.sign-in.delay", Duration.ofSeconds(1)),
                lockout, shared.clock(), shared.failures("names", lockout), shared.failures("addresses", lockout));
    }

    /** Every role Porthole reads with the environments configured at start, to be declared to the container. */
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

    public TokenService tokens() {
        return tokens;
    }
}
