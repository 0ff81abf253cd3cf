package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.it.edge.EdgeShells;
import dev.porthole.it.edge.HawserAgentSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/metrics} scraped as Prometheus does, on a Porthole of its own (so that every count is this class's),
 * while real terminals run on the real engine and through an agent: each number moves by exactly what was done.
 */
class MetricsIT {
    private static final String AGENT_TOKEN = "metrics-test-agent-token-of-environment-4-cccc";
    private static final Duration FEW_SECONDS = Duration.ofSeconds(15);
    private static TestServer.Running server;
    private static ApiClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.startServer(
                "environments.4.name=edge agent",
                "environments.4.type=hawser-edge",
                "environments.4.agent-token-sha256=" + TestServer.sha256(AGENT_TOKEN),
                "edge.ping-interval=1s",
                // Two wrong passwords lock a name out, for long: the test sees the lockout and a throttled attempt
                // whatever the machine's speed. Addresses are left alone; the test poses as one of its own.
                "security.sign-in.free-failures=2",
                "security.sign-in.lockout-failures=2",
                "security.sign-in.lockout=10m",
                "security.sign-in.free-failures-per-address=100",
                "security.sign-in.lockout-failures-per-address=100");
        admin = server.signedIn("admin");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void onlyAnAdminOrTheMetricsRoleMayScrape() throws Exception {
        ApiClient.Response anonymous = server.client().get("api/metrics");
        assertEquals(401, anonymous.status(), anonymous.body());
        assertEquals("sign in first", anonymous.error());
        ApiClient.Response alice = server.signedIn("alice").get("api/metrics");
        assertEquals(403, alice.status(), alice.body());
        assertTrue(alice.error().contains("porthole-metrics"), alice.body());
        assertEquals(401, server.client().useToken("ph_not-a-token").get("api/metrics").status());

        ApiClient.Response issued = admin.post("api/tokens", "{\"user\":\"prometheus\",\"roles\":[\"porthole-metrics\"]}");
        assertEquals(201, issued.status(), issued.body());
        String token = issued.json().get("token").asText();
        HttpResponse<String> scraped = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/metrics"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scraped.statusCode(), scraped.body());
        assertEquals("text/plain;version=0.0.4;charset=utf-8",
                scraped.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        Scrape scrape = new Scrape(scraped.body());
        for (String jvm : new String[] {"jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "jvm_gc_memory_allocated_bytes_total", "process_uptime_seconds", "process_cpu_usage", "process_files_open_files",
                "jvm_info"}) {
            assertTrue(scrape.has(jvm), jvm + " missing from\n" + scrape);
        }
        ApiClient prometheus = server.client().useToken(token);
        assertEquals(403, prometheus.get("api/containers?envId=1").status(), "the metrics role reads metrics only");
        assertEquals(403, prometheus.post("api/containers/ph-busybox/exec?envId=1", "{}").status());
    }

    @Test
    void aTerminalMovesTheGaugesTheCountersAndTheHistogram() throws Exception {
        ApiClient alice = server.signedIn("alice");
        Scrape before = scrape();
        String execId = alice.createExec("ph-busybox", "{}");
        Scrape created = awaitValue(1, "porthole_exec_waiting", "environment", "1");
        assertEquals(before.value("porthole_exec_creates_seconds_count", "environment", "1", "outcome", "ok") + 1,
                created.value("porthole_exec_creates_seconds_count", "environment", "1", "outcome", "ok"));
        assertEquals(before.value("porthole_exec_creates_seconds_bucket", "environment", "1", "outcome", "ok", "le", "+Inf") + 1,
                created.value("porthole_exec_creates_seconds_bucket", "environment", "1", "outcome", "ok", "le", "+Inf"));
        assertTrue(created.value("porthole_exec_creates_seconds_sum", "environment", "1", "outcome", "ok")
                > before.value("porthole_exec_creates_seconds_sum", "environment", "1", "outcome", "ok"));
        assertEquals(0, created.value("porthole_terminals_open", "environment", "1"));

        TerminalClient terminal = alice.attach(execId, "envId=1");
        terminal.type("echo metrics-$((6*7))\n");
        terminal.await("metrics-42");
        Scrape open = awaitValue(1, "porthole_terminals_open", "environment", "1");
        assertEquals(0, open.value("porthole_exec_waiting", "environment", "1"));
        assertEquals(0, open.value("porthole_terminals_open", "environment", "3"), "an environment with none shows 0");
        assertTrue(open.value("porthole_terminal_output_bytes_total", "environment", "1")
                > before.value("porthole_terminal_output_bytes_total", "environment", "1"), "output is counted as it goes");
        assertTrue(open.value("porthole_engine_calls_seconds_count", "environment", "1", "call", "exec_start", "outcome", "ok")
                >= before.value("porthole_engine_calls_seconds_count", "environment", "1", "call", "exec_start", "outcome", "ok") + 1);

        terminal.type("exit 3\n");
        assertEquals("exit 3", terminal.awaitClose().reason());
        awaitValue(0, "porthole_terminals_open", "environment", "1");
        awaitValue(before.value("porthole_terminals_ended_total", "environment", "1", "reason", "exit") + 1,
                "porthole_terminals_ended_total", "environment", "1", "reason", "exit");
        // The audit counts the same bytes of the same terminal: the counters moved by exactly as much.
        JsonNode end = AuditIT.find(server, r -> r.path("event").asText().equals("terminal-end")
                && r.path("execId").asText().equals(execId));
        awaitValue(before.value("porthole_terminal_input_bytes_total", "environment", "1") + end.get("bytesIn").asLong(),
                "porthole_terminal_input_bytes_total", "environment", "1");
        awaitValue(before.value("porthole_terminal_output_bytes_total", "environment", "1") + end.get("bytesOut").asLong(),
                "porthole_terminal_output_bytes_total", "environment", "1");
    }

    @Test
    void refusedCreatesAndEngineFailuresAreCountedByOutcome() {
        Scrape before = scrape();
        ApiClient alice = server.signedIn("alice");
        assertEquals(409, alice.postExec(1, "ph-stopped", "{}").status());
        assertEquals(200, admin.get("api/environments").status()); // pings every engine, the dead one too
        Scrape after = scrape();
        assertEquals(before.value("porthole_exec_creates_seconds_count", "environment", "1", "outcome", "conflict") + 1,
                after.value("porthole_exec_creates_seconds_count", "environment", "1", "outcome", "conflict"));
        assertEquals(before.value("porthole_engine_calls_seconds_count", "environment", "1", "call", "exec_create", "outcome", "conflict") + 1,
                after.value("porthole_engine_calls_seconds_count", "environment", "1", "call", "exec_create", "outcome", "conflict"));
        assertEquals(before.value("porthole_engine_calls_seconds_count", "environment", "2", "call", "ping", "outcome", "engine_unreachable") + 1,
                after.value("porthole_engine_calls_seconds_count", "environment", "2", "call", "ping", "outcome", "engine_unreachable"));
        assertEquals(before.value("porthole_engine_calls_seconds_count", "environment", "1", "call", "ping", "outcome", "ok") + 1,
                after.value("porthole_engine_calls_seconds_count", "environment", "1", "call", "ping", "outcome", "ok"));
    }

    @Test
    void terminalEndingsAreCountedByReason() {
        Scrape before = scrape();

        TerminalClient closedByClient = server.signedIn("alice").terminal("ph-busybox");
        closedByClient.type("echo one-$((1+1))\n");
        closedByClient.await("one-2");
        closedByClient.close();
        awaitEnded(before, "1", "client_closed");

        ApiClient signingOut = server.signedIn("alice");
        TerminalClient signedOut = signingOut.terminal("ph-busybox");
        signedOut.type("echo two-$((1+1))\n");
        signedOut.await("two-2");
        assertEquals(204, signingOut.post("api/auth/logout", null).status());
        assertEquals(4401, signedOut.awaitClose().code());
        awaitEnded(before, "1", "signed_out");

        ApiClient.Response issued = admin.post("api/tokens", "{\"user\":\"robot\",\"roles\":[\"porthole-exec\"]}");
        TerminalClient byToken = server.client().useToken(issued.json().get("token").asText()).terminal("ph-busybox");
        byToken.type("echo three-$((1+2))\n");
        byToken.await("three-3");
        assertEquals(204, admin.delete("api/tokens/" + issued.json().at("/about/id").asText()).status());
        assertEquals(4401, byToken.awaitClose().code());
        awaitEnded(before, "1", "token_revoked");

        HawserAgentSimulator agent = new HawserAgentSimulator(server.baseUrl(), AGENT_TOKEN, "metrics-agent");
        HawserAgentSimulator again = null;
        try {
            assertEquals("welcome", agent.connect(Duration.ofSeconds(1)).path("type").asText());
            awaitValue(1, "porthole_agents_connected", "environment", "4");
            TerminalClient throughAgent = server.signedIn("alice").terminal(4, "ph-busybox");
            throughAgent.type("echo four-$((2+2))\n");
            throughAgent.await("four-4");
            assertEquals(1, scrape().value("porthole_terminals_open", "environment", "4"));
            agent.disconnectAbruptly();
            assertEquals(1011, throughAgent.awaitClose().code());
            awaitEnded(before, "4", "agent_lost");
            awaitValue(0, "porthole_agents_connected", "environment", "4");
            // The next agent ends what the lost one left running.
            again = new HawserAgentSimulator(server.baseUrl(), AGENT_TOKEN, "metrics-agent-again");
            assertEquals("welcome", again.connect(Duration.ofSeconds(1)).path("type").asText());
            EdgeShells.awaitNone(FEW_SECONDS);
        } finally {
            agent.close();
            if (again != null) {
                again.close();
            }
        }
        Scrape after = scrape();
        assertEquals(before.value("porthole_terminals_ended_total") + 4, after.value("porthole_terminals_ended_total"),
                "no other ending was counted:\n" + after);
    }

    @Test
    void failedSignInsLockoutsAndThrottledAttemptsAreCounted() {
        Scrape before = scrape();
        String name = "metrics-guess-" + System.nanoTime();
        assertEquals(401, login(name, "wrong").status());
        assertEquals(401, login(name, "wrong").status()); // the second failure locks the name out
        assertEquals(429, login(name, "wrong").status());
        Scrape after = scrape();
        assertEquals(before.value("porthole_signin_failures_total", "reason", "wrong_password") + 2,
                after.value("porthole_signin_failures_total", "reason", "wrong_password"));
        assertEquals(before.value("porthole_signin_lockouts_total") + 1, after.value("porthole_signin_lockouts_total"));
        assertEquals(before.value("porthole_signin_failures_total", "reason", "throttled") + 1,
                after.value("porthole_signin_failures_total", "reason", "throttled"));
    }

    @Test
    void labelsNameEnvironmentsByIdAndNothingUnbounded() {
        server.signedIn("alice").postExec(1, "ph-stopped", "{}");
        Scrape scrape = scrape();
        assertEquals(Set.of("call", "environment", "le", "outcome", "reason"), scrape.labelNames("porthole_"));
        for (String id : scrape.labelValuesOf("porthole_", "environment")) {
            assertTrue(id.matches("[1-5]"), "environment label " + id);
        }
        assertEquals(Set.of("1", "2", "3", "4"), scrape.labelValuesOf("porthole_terminals_open", "environment"));
        assertEquals(Set.of("4"), scrape.labelValuesOf("porthole_agents_connected", "environment"));
    }

    private static ApiClient.Response login(String user, String password) {
        return server.client().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/auth/login"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", "198.51.100.77")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")));
    }

    private static Scrape scrape() {
        ApiClient.Response r = admin.get("api/metrics");
        assertEquals(200, r.status(), r.body());
        return new Scrape(r.body());
    }

    private static void awaitEnded(Scrape before, String environment, String reason) {
        awaitValue(before.value("porthole_terminals_ended_total", "environment", environment, "reason", reason) + 1,
                "porthole_terminals_ended_total", "environment", environment, "reason", reason);
    }

    /**
     * Scrapes until the series has {@code expected}: gauges and counters follow events on other threads (a terminal
     * is forgotten just after its client hears the close), so the test waits for them instead of guessing a delay.
     */
    private static Scrape awaitValue(double expected, String name, String... labels) {
        long deadline = System.nanoTime() + FEW_SECONDS.toNanos();
        Scrape scrape;
        do {
            scrape = scrape();
            if (scrape.value(name, labels) == expected) {
                return scrape;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError(name + " " + String.join(",", labels) + " is " + scrape.value(name, labels)
                + ", not " + expected + ":\n" + scrape);
    }
}
