package dev.porthole.embedded;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.catalina.valves.RemoteIpValve;

/**
 * Believes {@code X-Forwarded-For} and {@code X-Forwarded-Proto} only from the configured proxy addresses, with
 * Tomcat's {@link RemoteIpValve}: behind a TLS-terminating proxy the request counts as HTTPS (so the session
 * cookie gets {@code Secure}) and the client's address is the real one (for the audit and sign-in throttling).
 * The valve's own default trusts every private address; an explicit list of exact addresses replaces it.
 */
final class TrustedProxies {
    private TrustedProxies() {
    }

    /** A valve for a comma-separated list of IP addresses; none when the list is empty. */
    static Optional<RemoteIpValve> valve(String addresses) {
        List<String> proxies = Stream.of(addresses.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (proxies.isEmpty()) {
            return Optional.empty();
        }
        RemoteIpValve valve = new RemoteIpValve();
        valve.setInternalProxies(proxies.stream().map(Pattern::quote).collect(Collectors.joining("|")));
        valve.setTrustedProxies(null);
        valve.setRemoteIpHeader("X-Forwarded-For");
        valve.setProtocolHeader("X-Forwarded-Proto");
        valve.setProtocolHeaderHttpsValue("https");
        return Optional.of(valve);
    }
}
