package dev.porthole.embedded;

import org.apache.catalina.valves.RemoteIpValve;

/**
 * Honours a TLS-terminating reverse proxy's {@code X-Forwarded-For} and {@code X-Forwarded-Proto}, and only from
 * the configured proxies: the same valve an operator puts in a standalone Tomcat's context file
 * (deploy/tomcat-context.xml). With it the request is secure when the proxy says so, which makes the session
 * cookie Secure and lets the browser's {@code https://} Origin match the server's own.
 */
final class ForwardedHeaders {
    private ForwardedHeaders() {
    }

    /** {@code trustedProxies}: a regular expression of proxy addresses, e.g. {@code 127\.0\.0\.1|::1}. */
    static RemoteIpValve valve(String trustedProxies) {
        RemoteIpValve valve = new RemoteIpValve();
        valve.setInternalProxies(trustedProxies);
        // Only the listed proxies may speak for a client; a further proxy in X-Forwarded-For is never trusted.
        valve.setTrustedProxies("");
        valve.setRemoteIpHeader("X-Forwarded-For");
        valve.setProtocolHeader("X-Forwarded-Proto");
        return valve;
    }
}
