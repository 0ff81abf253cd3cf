package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Engines that cannot be used give a clear 502 that names the environment and the cause, within the configured
 * timeouts (2 s here), never a hang; a terminal whose engine goes away closes with a reason.
 */
class EngineFailuresIT {
    private static final String TIMEOUTS = "connect-timeout=2s";
    private static LoopbackRelay hanging;
    private static LoopbackRelay relay;
    private static TestServer.Running running;

    @BeforeAll
    static void start() throws Exception {
        hanging = LoopbackRelay.silent();
        relay = LoopbackRelay.relayTo(Path.of(URI.create(TestServer.ENGINE).getPath()));
        Path tls = TestEngines.TLS_DIR;
        running = TestServer.startServer(TestEngines.lines(List.of(
                TestEngines.environment(4, "wrong CA", TestEngines.HTTPS, TIMEOUTS, "read-timeout=2s",
                        "tls.ca=" + TestEngines.strangerCa(), "tls.cert=" + tls.resolve("cert.pem"),
                        "tls.key=" + tls.resolve("key.pem")),
                TestEngines.environment(5, "no client certificate", TestEngines.HTTPS, TIMEOUTS, "read-timeout=2s",
                        "tls.ca=" + tls.resolve("ca.pem")),
                TestEngines.environment(6, "closed port", "tcp://127.0.0.1:" + LoopbackRelay.closedPort(), TIMEOUTS),
                TestEngines.environment(7, "hanging http", "tcp://127.0.0.1:" + hanging.port(), TIMEOUTS, "read-timeout=2s"),
                TestEngines.environment(8, "hanging https", "https://127.0.0.1:" + hanging.port(), TIMEOUTS,
                        "read-timeout=2s", "tls.ca=" + tls.resolve("ca.pem"), "tls.cert=" + tls.resolve("cert.pem"),
                        "tls.key=" + tls.resolve("key.pem")),
                TestEngines.environment(9, "relayed", "tcp://127.0.0.1:" + relay.port(), TIMEOUTS, "read-timeout=2s"),
                TestEngines.environment(10, "unverified", TestEngines.HTTPS, "tls.ca=" + TestEngines.strangerCa(),
                        "tls.cert=" + tls.resolve("cert.pem"), "tls.key=" + tls.resolve("key.pem"), "tls.skip-verify=true"))));
    }

    @AfterAll
    static void stop() throws Exception {
        running.close();
        hanging.close();
        relay.close();
    }

    /** Asks for an exec on {@code envId}, expects 502 naming it and {@code cause}, within {@code limit}. */
    private static void assertUnreachable(int envId, String name, String cause, Duration limit) {
        ApiClient alice = running.signedIn("alice");
        long start = System.nanoTime();
        ApiClient.Response r = alice.postExec(envId, "ph-busybox", "{}");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(502, r.status(), r.body());
        assertTrue(r.error().startsWith("environment " + envId + " (" + name + ") is unreachable: "), r.error());
        assertTrue(r.error().contains(cause), r.error());
        assertTrue(took.compareTo(limit) < 0, "answered after " + took + ": " + r.error());
    }

    @Test
    void anEngineWhoseCertificateTheCaDidNotSignIsRefused() {
        assertUnreachable(4, "wrong CA", "the engine's certificate failed verification", Duration.ofSeconds(2));
    }

    @Test
    void anEngineThatWantsAClientCertificateRefusesToTalkWithoutOne() {
        assertUnreachable(5, "no client certificate", "asks for a client certificate and none is configured", Duration.ofSeconds(3));
    }

    @Test
    void aClosedPortIsRefusedAtOnce() {
        assertUnreachable(6, "closed port", "Connection refused", Duration.ofSeconds(2));
    }

    @Test
    void anEngineThatAcceptsAndNeverAnswersTimesOutOverHttp() {
        assertUnreachable(7, "hanging http", "no answer within the read timeout of 2000 ms", Duration.ofSeconds(4));
    }

    @Test
    void anEngineThatAcceptsAndNeverAnswersTimesOutOverHttps() {
        // The TLS handshake is part of connecting: the connect timeout bounds it.
        assertUnreachable(8, "hanging https", "no connection within the connect timeout of 2000 ms", Duration.ofSeconds(5));
    }

    @Test
    void skipVerifyTrustsACertificateTheCaDidNotSign() {
        ApiClient.Response r = running.signedIn("alice").postExec(10, "ph-busybox", "{}");
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void aTerminalWhoseEngineGoesAwayClosesWithAReason() throws Exception {
        TerminalClient terminal = running.signedIn("alice").terminal(9, "ph-busybox");
        terminal.type("echo relayed-$((3*3))\n");
        terminal.await("relayed-9");
        terminal.type("sleep 6901\n");
        Engine.awaitRunning("ph-busybox", "sleep 6901", Duration.ofSeconds(5));
        try {
            relay.close();
            TerminalClient.Closed closed = terminal.awaitClose(Duration.ofSeconds(10));
            assertEquals(1011, closed.code(), closed.reason());
            assertTrue(closed.reason().contains("environment 9 (relayed)"), closed.reason());
            ApiClient.Response again = running.signedIn("alice").postExec(9, "ph-busybox", "{}");
            assertEquals(502, again.status(), again.body());
        } finally {
            // Porthole could not reach the engine to end the shell's processes: end them beside it.
            Engine.exec("ph-busybox", "pkill", "-f", "sleep 6901");
        }
    }
}
