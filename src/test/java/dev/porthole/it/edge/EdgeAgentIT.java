package dev.porthole.it.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.it.ApiClient;
import dev.porthole.it.Engine;
import dev.porthole.it.LogCapture;
import dev.porthole.it.TerminalClient;
import dev.porthole.it.TestServer;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The agents' connection: authentication, keepalive, loss and replacement, limits, and the agent token API. */
@ExtendWith(TestServer.class)
class EdgeAgentIT {
    private static final Duration PING = Duration.ofSeconds(1);
    private final List<HawserAgentSimulator> agents = new ArrayList<>();

    private HawserAgentSimulator agent(TestServer.Running server, String token, String name) {
        HawserAgentSimulator agent = new HawserAgentSimulator(server.baseUrl(), token, name);
        agents.add(agent);
        return agent;
    }

    private HawserAgentSimulator connected(TestServer.Running server, String token, String name) {
        HawserAgentSimulator agent = agent(server, token, name);
        JsonNode welcome = agent.connect(PING);
        assertEquals("welcome", welcome.path("type").asText(), welcome.toString());
        return agent;
    }

    @AfterEach
    void stopAgents() {
        try {
            EdgeShells.awaitNone(Duration.ofSeconds(10));
        } finally {
            agents.forEach(HawserAgentSimulator::close);
        }
    }

    @Test
    void theWelcomeComesFirstWithTheEnvironmentIdAsAnInteger(TestServer.Running server) {
        HawserAgentSimulator agent = agent(server, TestServer.EDGE_TOKEN_4, "edge-sim-4");
        JsonNode welcome = agent.connect(PING);
        assertEquals("welcome", welcome.path("type").asText());
        assertTrue(welcome.get("environmentId").isInt(), welcome.toString());
        assertEquals(4, welcome.get("environmentId").asInt());
        assertEquals("welcome", agent.received().get(0));
    }

    @Test
    void aWrongTokenIsRefusedWithAnErrorAnd1008(TestServer.Running server) {
        HawserAgentSimulator agent = agent(server, "not-a-token-of-any-environment", "stranger");
        JsonNode reply = agent.connect(PING);
        assertEquals("error", reply.path("type").asText());
        assertEquals("Invalid token", reply.path("error").asText());
        assertEquals("Invalid token", reply.path("message").asText());
        assertEquals(1008, agent.awaitCloseCode(Duration.ofSeconds(5)));
        ApiClient.Response offline = server.signedIn("alice").postExec(4, "ph-busybox", "{}");
        assertEquals(502, offline.status(), offline.body());
    }

    @Test
    void aHelloWithOnlyTheStoredHashIsRefused(TestServer.Running server) {
        // The hash is what the configuration file keeps: whoever reads the file must not become the agent.
        assertRefused(server, "{\"type\":\"hello\",\"version\":\"0.2.46-sim\",\"protocol\":\"1.0\",\"tokenHash\":\""
                + TestServer.sha256Hex(TestServer.EDGE_TOKEN_4) + "\"}\n");
    }

    @Test
    void aHelloWhoseHashMatchesButWhoseTokenDoesNotIsRefused(TestServer.Running server) {
        assertRefused(server, "{\"type\":\"hello\",\"protocol\":\"1.0\",\"token\":\"guess\",\"tokenHash\":\""
                + TestServer.sha256Hex(TestServer.EDGE_TOKEN_4) + "\"}\n");
    }

    /** Sends {@code hello} as the first message; the server must answer with Invalid token and close 1008. */
    private void assertRefused(TestServer.Running server, String hello) {
        HawserAgentSimulator thief = agent(server, "unused", "thief");
        thief.openWithoutHello();
        thief.sendRaw(hello, 4096);
        JsonNode reply = thief.firstMessage(Duration.ofSeconds(5));
        assertEquals("error", reply.path("type").asText(), reply.toString());
        assertEquals("Invalid token", reply.path("error").asText());
        assertEquals(1008, thief.awaitCloseCode(Duration.ofSeconds(5)));
    }

    @Test
    void whatAnAgentSaysOfItselfCannotForgeLogLines(TestServer.Running server) {
        try (LogCapture log = new LogCapture()) {
            HawserAgentSimulator forger = agent(server, "unused", "forger");
            forger.openWithoutHello();
            forger.sendRaw("{\"type\":\"hello\",\"token\":\"" + TestServer.EDGE_TOKEN_4 + "\",\"protocol\":\"1.0\","
                    + "\"version\":\"1\\r\\nINFO forged version\",\"agentName\":\"a\\nWARN forged name\\u2028x\","
                    + "\"hostname\":\"h\\u0085forged host\",\"dockerVersion\":\"20\\u001b[31mred\"}\n", 4096);
            assertEquals("welcome", forger.firstMessage(Duration.ofSeconds(5)).path("type").asText());
            List<String> lines = log.await(line -> line.contains("connected from") && line.contains("forged name"),
                    Duration.ofSeconds(5));
            for (String line : lines) {
                assertFalse(line.startsWith("INFO forged") || line.startsWith("WARN forged"), "a forged line: " + line);
                assertTrue(line.chars().noneMatch(c -> c == 0x1b || c == 0x85 || c == 0x2028 || c == 0x2029),
                        "a control character reached the log: " + line);
            }
        }
    }

    @Test
    void aSocketThatSaysNoHelloIsClosedAfterTheHelloTimeout(TestServer.Running server) {
        HawserAgentSimulator quiet = agent(server, "unused", "quiet");
        long start = System.nanoTime();
        quiet.openWithoutHello();
        assertEquals("error", quiet.firstMessage(Duration.ofSeconds(5)).path("type").asText());
        assertEquals(1008, quiet.awaitCloseCode(Duration.ofSeconds(5)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= TestServer.EDGE_HELLO_TIMEOUT_MILLIS - 100, "closed after " + millis + " ms");
    }

    @Test
    void aFirstMessageOtherThanHelloIsRefused(TestServer.Running server) {
        HawserAgentSimulator rude = agent(server, "unused", "rude");
        rude.openWithoutHello();
        rude.sendRaw("{\"type\":\"ping\",\"timestamp\":1}\n", 4096);
        assertEquals("error", rude.firstMessage(Duration.ofSeconds(5)).path("type").asText());
        assertEquals(1008, rude.awaitCloseCode(Duration.ofSeconds(5)));
    }

    @Test
    void aHandshakeWithAnOriginIsRefused(TestServer.Running server) {
        WebSocketHandshakeException refused = assertThrows(WebSocketHandshakeException.class,
                () -> server.client().connectOrFail("api/hawser/connect", server.baseUrl().replaceAll("/$", "")));
        assertEquals(403, refused.getResponse().statusCode());
    }

    @Test
    void theListingShowsTheAgent(TestServer.Running server) {
        connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4");
        ApiClient.Response list = server.signedIn("alice").get("api/environments");
        assertEquals(200, list.status(), list.body());
        JsonNode edge = null;
        for (JsonNode e : list.json()) {
            if (e.get("id").asInt() == 4) {
                edge = e;
            }
        }
        assertEquals("hawser-edge", edge.at("/connectionInfo/type").asText(), list.body());
        assertTrue(edge.at("/engine/reachable").asBoolean(), list.body());
        assertTrue(edge.at("/agent/connected").asBoolean(), list.body());
        assertEquals("0.2.46-sim", edge.at("/agent/version").asText(), list.body());
        assertEquals("1.0", edge.at("/agent/protocol").asText(), list.body());
        assertEquals("edge-sim-4", edge.at("/agent/agentName").asText(), list.body());
        assertEquals("edge-sim-4-host", edge.at("/agent/hostname").asText(), list.body());
        assertEquals("20.10.24", edge.at("/agent/dockerVersion").asText(), list.body());
        assertEquals("exec", edge.at("/agent/capabilities/0").asText(), list.body());
        assertTrue(edge.at("/agent/lastSeen").asText().startsWith("20"), list.body());
    }

    @Test
    void theServerPingsAndAnswersPings(TestServer.Running server) throws Exception {
        HawserAgentSimulator agent = connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4");
        Thread.sleep(2500);
        assertTrue(agent.pingsReceived() >= 1, "pings: " + agent.pingsReceived());
        assertTrue(agent.received().contains("pong"), agent.received().toString());
        assertTrue(!agent.isClosed());
    }

    @Test
    void anAgentThatDisconnectsClosesItsTerminalsAndItsProcessesEndWhenItIsBack(TestServer.Running server) {
        HawserAgentSimulator agent = connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4");
        ApiClient alice = server.signedIn("alice");
        TerminalClient terminal = alice.terminal(4, "ph-busybox");
        terminal.type("sleep 1041\n");
        Engine.awaitRunning("ph-busybox", "sleep 1041", Duration.ofSeconds(10));
        agent.disconnectAbruptly();
        TerminalClient.Closed closed = terminal.awaitClose();
        assertEquals(1011, closed.code());
        assertTrue(closed.reason().contains("edge-sim-4") && closed.reason().contains("disconnected"), closed.reason());
        ApiClient.Response offline = alice.postExec(4, "ph-busybox", "{}");
        assertEquals(502, offline.status(), offline.body());
        assertTrue(offline.error().contains("offline"), offline.body());

        connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4-again");
        Engine.awaitGone("ph-busybox", "sleep 1041", Duration.ofSeconds(10));
        TerminalClient again = alice.terminal(4, "ph-busybox");
        again.type("echo back-$((2+3))\n");
        again.await("back-5");
        again.close();
    }

    @Test
    void anAgentThatFallsSilentIsDroppedWithinTheDeadInterval(TestServer.Running server) {
        HawserAgentSimulator agent = connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4");
        TerminalClient terminal = server.signedIn("alice").terminal(4, "ph-busybox");
        terminal.type("echo alive-$((1+1)); sleep 1042\n");
        terminal.await("alive-2");
        Engine.awaitRunning("ph-busybox", "sleep 1042", Duration.ofSeconds(10));
        long start = System.nanoTime();
        agent.goSilent();
        TerminalClient.Closed closed = terminal.awaitClose(Duration.ofMillis(TestServer.EDGE_DEAD_AFTER_MILLIS + 5000));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= TestServer.EDGE_DEAD_AFTER_MILLIS - 1100, "dropped after " + millis + " ms");
        assertTrue(closed.reason().contains("timeout"), closed.reason());
        assertEquals(1001, agent.awaitCloseCode(Duration.ofSeconds(5)));
        // no agent could end its processes when it closed: the next agent of the environment does
        connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4-again");
        Engine.awaitGone("ph-busybox", "sleep 1042", Duration.ofSeconds(10));
    }

    @Test
    void aNewerConnectionReplacesTheOlder(TestServer.Running server) {
        HawserAgentSimulator first = connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4");
        connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4-newer");
        assertEquals(1001, first.awaitCloseCode(Duration.ofSeconds(5)));
        assertEquals("Connection replaced by new agent", first.closeReason());
        ApiClient.Response containers = server.signedIn("alice").get("api/containers?envId=4");
        assertEquals(200, containers.status(), containers.body());
    }

    @Test
    void twoEnvironmentsWithTwoAgentsServeTerminalsAtOnce(TestServer.Running server) {
        connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4");
        connected(server, TestServer.EDGE_TOKEN_5, "edge-sim-5");
        ApiClient alice = server.signedIn("alice");
        TerminalClient four = alice.terminal(4, "ph-busybox");
        TerminalClient five = alice.terminal(5, "ph-bash");
        four.type("echo four-$((2*2))\n");
        five.type("echo five-$((2+3))\n");
        four.await("four-4");
        five.await("five-5");
        four.type("exit 4\n");
        five.type("exit 5\n");
        assertEquals("exit 4", four.awaitClose().reason());
        assertEquals("exit 5", five.awaitClose().reason());
    }

    @Test
    void aMessageOverTheCapClosesTheAgentConnection(TestServer.Running server) {
        HawserAgentSimulator agent = connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4");
        String big = "{\"type\":\"metrics\",\"pad\":\"" + "x".repeat(TestServer.EDGE_MAX_MESSAGE_BYTES) + "\"}";
        agent.sendRaw(big, 4096);
        assertEquals(1009, agent.awaitCloseCode(Duration.ofSeconds(10)));
    }

    @Test
    void aLargeFragmentedMessageUnderTheCapIsAccepted(TestServer.Running server) {
        HawserAgentSimulator agent = connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4");
        agent.sendRaw("{\"type\":\"metrics\",\"pad\":\"" + "y".repeat(TestServer.EDGE_MAX_MESSAGE_BYTES / 2) + "\"}\n", 4096);
        ApiClient.Response containers = server.signedIn("alice").get("api/containers?envId=4");
        assertEquals(200, containers.status(), containers.body());
        assertTrue(!agent.isClosed());
    }

    @Test
    void requestsInFlightAreBounded(TestServer.Running server) throws Exception {
        HawserAgentSimulator agent = connected(server, TestServer.EDGE_TOKEN_4, "edge-sim-4");
        agent.holdRequests();
        ApiClient alice = server.signedIn("alice");
        ExecutorService callers = Executors.newFixedThreadPool(TestServer.EDGE_MAX_REQUESTS_IN_FLIGHT + 4);
        try {
            List<CompletableFuture<ApiClient.Response>> answers = new ArrayList<>();
            for (int i = 0; i < TestServer.EDGE_MAX_REQUESTS_IN_FLIGHT + 4; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> alice.get("api/containers?envId=4"), callers));
            }
            Thread.sleep(1500);
            agent.release();
            int ok = 0;
            int tooMany = 0;
            for (CompletableFuture<ApiClient.Response> answer : answers) {
                ApiClient.Response r = answer.join();
                if (r.status() == 200) {
                    ok++;
                } else if (r.status() == 429) {
                    tooMany++;
                    assertTrue(r.error().contains("edge.max-requests-in-flight"), r.body());
                }
            }
            assertEquals(TestServer.EDGE_MAX_REQUESTS_IN_FLIGHT, ok);
            assertEquals(4, tooMany);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void regeneratingTheTokenDropsTheAgentAndRevokesTheOldToken(TestServer.Running server) {
        ApiClient admin = server.signedIn("admin");
        ApiClient.Response created = admin.post("api/environments", "{\"name\":\"regenerated edge\",\"type\":\"hawser-edge\"}");
        assertEquals(201, created.status(), created.body());
        int id = created.json().get("id").asInt();
        try {
            assertEquals("hawser-edge", created.json().at("/connectionInfo/type").asText(), created.body());
            assertEquals(403, server.signedIn("alice").post("api/environments/" + id + "/agent-token", null).status());
            ApiClient.Response issued = admin.post("api/environments/" + id + "/agent-token", null);
            assertEquals(200, issued.status(), issued.body());
            String token = issued.json().get("token").asText();
            assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
            HawserAgentSimulator agent = agent(server, token, "regen-sim");
            assertEquals(id, agent.connect(PING).path("environmentId").asInt());
            // a rename keeps the token and the connection
            ApiClient.Response renamed = admin.put("api/environments/" + id, "{\"name\":\"renamed edge\",\"type\":\"hawser-edge\"}");
            assertEquals(200, renamed.status(), renamed.body());
            assertTrue(renamed.json().get("agentTokenIssued").asBoolean(), renamed.body());
            assertEquals(200, admin.get("api/containers?envId=" + id).status());
            assertTrue(!agent.isClosed());

            String newer = admin.post("api/environments/" + id + "/agent-token", null).json().get("token").asText();
            assertEquals(1000, agent.awaitCloseCode(Duration.ofSeconds(5)));
            assertEquals("Token regenerated", agent.closeReason());
            assertEquals("error", agent(server, token, "regen-sim-old").connect(PING).path("type").asText());
            assertEquals(id, agent(server, newer, "regen-sim-new").connect(PING).path("environmentId").asInt());
        } finally {
            assertEquals(204, admin.delete("api/environments/" + id).status());
        }
    }
}
