package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three Porthole nodes of one cluster (embedded Tomcat each, a Hazelcast member each on a loopback port), with Debian's
 * nginx in front running the shipped configuration, round robin, no stickiness ({@link Nginx#start(List)}). Clients
 * talk to nginx as browsers would, and nginx's access log says which node answered each request. Here a terminal is
 * opened on one node directly (create and attach on the same node) and its end is caused through another; the steps
 * of one terminal spread over the nodes are {@link ClusterTerminalIT}'s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final int NODES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What "within a second" allows: the close must reach the client within it, measured from the sign-out's answer. */
    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    private static final List<TestServer.Running> nodes = new ArrayList<>();
    private static final List<Integer> httpPorts = new ArrayList<>();
    private static Nginx nginx;
    private static String memberList;

    @BeforeAll
    static void start() throws Exception {
        List<Integer> gridPorts = GridPorts.free(NODES);
        String members = String.join(",", gridPorts.stream().map(port -> "127.0.0.1:" + port).toList());
        memberList = members;
        for (int i = 0; i < NODES; i++) {
            TestServer.Running node = startNode(members, gridPorts.get(i), "node-" + i);
            nodes.add(node);
            httpPorts.add(URI.create(node.baseUrl()).getPort());
        }
        nginx = Nginx.start(httpPorts);
    }

    private static TestServer.Running startNode(String members, int gridPort, String name) {
        return TestServer.startServerAt("/porthole",
                "cluster.enabled=true",
                "cluster.members=" + members,
                "cluster.port=" + gridPort,
                "cluster.name=cluster-it",
                "cluster.secret=the-secret-of-the-cluster-it",
                "cluster.node-name=" + name,
                // A wait no test outlasts: whether an attempt is refused must not depend on how fast the realm is.
                "security.sign-in.delay=10m",
                "security.sign-in.lockout=20m");
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        for (TestServer.Running node : nodes) {
            node.close();
        }
    }

    private static ApiClient viaNginx() {
        return new ApiClient(nginx.baseUrl(), nginx.clientTls());
    }

    @Test
    @Order(1)
    void healthThroughTheBalancerNamesEachNodeAndTheMembersItSees() {
        ApiClient anyone = viaNginx();
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 2 * NODES; i++) {
            JsonNode health = anyone.get("api/health").json();
            answered.add(health.get("node").asText());
            List<String> members = new ArrayList<>();
            health.get("members").forEach(member -> members.add(member.asText()));
            assertEquals(List.of("node-0", "node-1", "node-2"), members, health.toString());
        }
        assertEquals(Set.of("node-0", "node-1", "node-2"), answered);
    }

    @Test
    @Order(2)
    void aSignInOnOneNodeIsHonouredByEveryNode() throws IOException {
        ApiClient alice = viaNginx().signIn("alice", "alice-password");
        int before = nginx.upstreamsOf("GET", "/porthole/api/auth/session").size();
        for (int i = 0; i < 2 * NODES; i++) {
            ApiClient.Response session = alice.get("api/auth/session");
            assertEquals(200, session.status(), session.body());
            assertEquals("alice", session.json().get("username").asText());
        }
        List<String> answeredBy = nginx.awaitUpstreamsOf("GET", "/porthole/api/auth/session", before + 2 * NODES);
        assertEquals(Set.copyOf(httpPorts.stream().map(port -> "127.0.0.1:" + port).toList()),
                Set.copyOf(answeredBy.subList(before, answeredBy.size())), "every node answered signed in");
    }

    @Test
    @Order(3)
    void signingOutOnOneNodeClosesTheTerminalsOpenedOnAnotherWithin4401() throws Exception {
        ApiClient onNode0 = nodes.get(0).client().signIn("alice", "alice-password");
        ApiClient onNode1 = onNode0.at(nodes.get(1).baseUrl());
        TerminalClient terminal = onNode0.terminal("ph-busybox");
        terminal.type("echo ready-$((40+2))\n").await("ready-42");
        assertEquals(200, onNode1.get("api/auth/session").status(), "the other node honours the sign-in");
        assertEquals(204, onNode1.post("api/auth/logout", null).status());
        long answered = System.nanoTime();
        assertEquals(new TerminalClient.Closed(4401, "signed out"), terminal.awaitClose(WITHIN_A_SECOND));
        System.out.printf("ClusterIT: the terminal on node-0 closed %.1f ms after node-1 answered the sign-out%n",
                (System.nanoTime() - answered) / 1e6);
        for (TestServer.Running node : nodes) {
            assertEquals(401, onNode0.at(node.baseUrl()).get("api/auth/session").status(), "signed out on every node");
        }
        JsonNode end = AuditIT.find(nodes.get(0), r -> r.path("event").asText().equals("terminal-end")
                && r.path("reason").asText().equals("signed-out"));
        assertEquals("node-0", end.path("node").asText(), "the node that held the terminal records its end: " + end);
    }

    @Test
    @Order(99)
    void everyNodeWritesItsOwnAuditFileAndEveryRecordNamesItsNode() throws Exception {
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).client().signIn("alice", "alice-password");
            String node = "node-" + i;
            AuditIT.find(nodes.get(i), r -> r.path("event").asText().equals("sign-in") && r.path("node").asText().equals(node));
            List<String> lines = Files.readAllLines(nodes.get(i).auditFile(), StandardCharsets.UTF_8);
            for (String line : lines) {
                assertEquals(node, JSON.readTree(line).path("node").asText(), line);
            }
        }
    }

    @Test
    @Order(4)
    void failedSignInsAreCountedByAllNodesTogether() throws IOException {
        ApiClient guesser = viaNginx();
        int before = nginx.upstreamsOf("POST", "/porthole/api/auth/login").size();
        // Two failures are free (TestServer); round robin takes each attempt to another node.
        for (int i = 0; i < 2; i++) {
            assertEquals(401, guesser.post("api/auth/login", ApiClient.loginBody("dave", "wrong")).status());
        }
        ApiClient.Response third = guesser.post("api/auth/login", ApiClient.loginBody("dave", "dave-password"));
        List<String> answeredBy = nginx.awaitUpstreamsOf("POST", "/porthole/api/auth/login", before + 3);
        assertEquals(3, Set.copyOf(answeredBy.subList(before, answeredBy.size())).size(), "three nodes: " + answeredBy);
        assertEquals(429, third.status(), "the third node knows of the failures on the other two: " + third.body());
    }

    @Test
    @Order(5)
    void aTokenIssuedOnOneNodeWorksOnEveryNodeAndItsRevocationEndsItsTerminalsEverywhere() {
        ApiClient admin = nodes.get(0).client().signIn("admin", "admin-password");
        JsonNode issued = admin.post("api/tokens", "{\"user\":\"robot\",\"roles\":[\"porthole-exec\"]}").json();
        String token = issued.get("token").asText();
        String id = issued.get("about").get("id").asText();
        for (TestServer.Running node : nodes) {
            assertEquals(200, node.client().useToken(token).get("api/auth/session").status());
        }
        TerminalClient terminal = nodes.get(2).client().useToken(token).terminal("ph-busybox");
        terminal.type("echo robot-$((40+2))\n").await("robot-42");
        assertEquals(204, admin.at(nodes.get(1).baseUrl()).delete("api/tokens/" + id).status());
        long answered = System.nanoTime();
        assertEquals(new TerminalClient.Closed(4401, "signed out"), terminal.awaitClose(WITHIN_A_SECOND));
        System.out.printf("ClusterIT: the token's terminal on node-2 closed %.1f ms after node-1 answered the revocation%n",
                (System.nanoTime() - answered) / 1e6);
        for (TestServer.Running node : nodes) {
            assertEquals(401, node.client().useToken(token).get("api/auth/session").status());
        }
    }

    @Test
    @Order(6)
    void anEnvironmentAddedOnOneNodeIsUsableOnEveryNodeWithoutARestart() throws Exception {
        ApiClient admin = viaNginx().signIn("admin", "admin-password");
        ApiClient.Response created = admin.post("api/environments",
                "{\"id\":9,\"name\":\"nine\",\"url\":\"" + TestServer.ENGINE + "\"}");
        assertEquals(201, created.status(), created.body());
        for (TestServer.Running node : nodes) {
            awaitEnvironment(node.client().signIn("alice", "alice-password"), 9, true);
        }
        // Signed in once, on another node than the one that took the change: it read environment 9's role then.
        ApiClient erin = nodes.get(1).client().signIn("erin", "erin-password");
        assertEquals("[\"porthole-exec-9\"]", erin.get("api/auth/session").json().get("roles").toString());
        for (TestServer.Running node : nodes) {
            TerminalClient terminal = erin.at(node.baseUrl()).terminal(9, "ph-busybox");
            terminal.type("echo nine-$((3*3))\n").await("nine-9");
            terminal.close();
            assertTrue(Files.readString(node.configFile()).contains("environments.9.url=" + TestServer.ENGINE),
                    "each node keeps the cluster's environments in its own file");
        }
    }

    /** Environments reach the other nodes through the grid's events: waits for that news, up to a bound. */
    private static void awaitEnvironment(ApiClient client, int id, boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            boolean found = false;
            for (JsonNode environment : client.get("api/environments").json()) {
                found |= environment.get("id").asInt() == id;
            }
            if (found == present) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "environment " + id + (present ? " never came" : " never went"));
            Thread.sleep(100);
        }
    }

    @Test
    @Order(100)
    void aNodeStoppedCleanlyLeavesTheOthersWorkingWithTheSignInsItHeld() throws Exception {
        ApiClient alice = viaNginx().signIn("alice", "alice-password");
        nodes.remove(2).close();
        for (TestServer.Running survivor : nodes) {
            awaitMembers(survivor.client(), List.of("node-0", "node-1"));
        }
        for (int i = 0; i < 2 * NODES; i++) {
            ApiClient.Response session = alice.get("api/auth/session");
            assertEquals(200, session.status(), session.body());
        }
    }

    @Test
    @Order(101)
    void aNodeThatJoinsLaterTakesTheClustersEnvironmentsOverItsOwnFile() throws Exception {
        int gridPort = GridPorts.free(1).get(0);
        String members = String.join(",", List.of(memberList, "127.0.0.1:" + gridPort));
        TestServer.Running late = startNode(members, gridPort, "node-late");
        nodes.add(late);
        ApiClient alice = late.client();
        alice.signIn("alice", "alice-password");
        awaitEnvironment(alice, 9, true);
        assertTrue(Files.readString(late.configFile()).contains("environments.9.url=" + TestServer.ENGINE));
    }

    /** The grid tells the survivors of a member's leave on its own threads: waits for that news, up to a bound. */
    private static void awaitMembers(ApiClient node, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> members;
        do {
            members = new ArrayList<>();
            for (JsonNode member : node.get("api/health").json().get("members")) {
                members.add(member.asText());
            }
            if (members.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertEquals(expected, members);
    }
}
