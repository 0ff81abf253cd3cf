package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Behind a TLS-terminating reverse proxy: {@code X-Forwarded-Proto: https} makes the session cookie Secure and
 * the browser's https Origin the server's own, but only when the request comes from a configured proxy.
 */
class ProxyIT {
    /** Believes X-Forwarded-* from 127.0.0.1, like the shared test server. */
    private static TestServer.Running behindProxy;
    /** Believes no proxy. */
    private static TestServer.Running direct;

    @BeforeAll
    static void start() {
        behindProxy = TestServer.startServer();
        direct = TestServer.startTrustingNoProxy();
    }

    @AfterAll
    static void stop() throws Exception {
        behindProxy.close();
        direct.close();
    }

    @Test
    void aTrustedProxySayingHttpsMakesTheSessionCookieSecure() throws Exception {
        assertTrue(signInThroughProxy(behindProxy).contains("Secure"));
    }

    @Test
    void forwardedHeadersFromAnyoneElseAreIgnored() throws Exception {
        assertFalse(signInThroughProxy(direct).contains("Secure"));
    }

    @Test
    void theTerminalSocketOpensThroughATrustedProxy() throws Exception {
        ApiClient alice = behindProxy.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        TerminalClient terminal = alice.connectOrFail("api/containers/exec/" + execId + "/attach?envId=1",
                httpsOrigin(behindProxy), "X-Forwarded-Proto", "https");
        terminal.type("echo proxied-$((6*7))\n");
        terminal.await("proxied-42");
        terminal.close();
    }

    @Test
    void anHttpsOriginWithoutATrustedProxyIsRefused() {
        ApiClient alice = direct.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        WebSocketHandshakeException refused = assertThrows(WebSocketHandshakeException.class,
                () -> alice.connectOrFail("api/containers/exec/" + execId + "/attach?envId=1",
                        httpsOrigin(direct), "X-Forwarded-Proto", "https"));
        assertEquals(403, refused.getResponse().statusCode());
    }

    /** The Origin a browser sends when it reached the proxy at https://the-same-host:port. */
    private static String httpsOrigin(TestServer.Running server) {
        URI base = URI.create(server.baseUrl());
        return "https://" + base.getHost() + ":" + base.getPort();
    }

    private static String signInThroughProxy(TestServer.Running server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "api/auth/login"))
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-For", "203.0.113.7")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"alice-password\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().firstValue("Set-Cookie").orElseThrow();
    }
}
