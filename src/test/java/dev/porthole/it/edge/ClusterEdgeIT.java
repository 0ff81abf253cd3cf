package dev.porthole.it.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.it.ApiClient;
import dev.porthole.it.Engine;
import dev.porthole.it.TerminalClient;
import dev.porthole.it.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An edge environment whose real Hawser agent is connected to one node of three, behind nginx (round robin): the
 * calls that need the agent (containers, shells, exec create, resize) work through every node, the terminal runs on
 * the agent's node wherever it was created and sized, and an agent that reconnects to another node serves the same.
 * Each test makes its own environment, token and agent, connected to node-1.
 */
class ClusterEdgeIT {
    private static final Duration FEW_SECONDS = Duration.ofSeconds(20);
    /** The agent's node. */
    private static final int B = 1;
    private static TestCluster cluster;
    private final List<HawserAgentProcess> agents = new ArrayList<>();
    private final List<TerminalClient> terminals = new ArrayList<>();
    private ApiClient admin;
    /** Alice's one sign-in, used through every node: a terminal belongs to the sign-in that created it. */
    private ApiClient alice;
    private int envId;
    private String token;

    @BeforeAll
    static void start() throws Exception {
        HawserAgentProcess.binary();
        cluster = TestCluster.start("cluster-edge-it", 3, "edge.failed-hellos-per-address=1000");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void environmentWithAnAgentOnNodeB() {
        admin = cluster.node(B).signedIn("admin");
        ApiClient.Response created = admin.post("api/environments",
                "{\"name\":\"cluster agent\",\"type\":\"hawser-edge\"}");
        assertEquals(201, created.status(), created.body());
        envId = created.json().get("id").asInt();
        ApiClient.Response issued = admin.post("api/environments/" + envId + "/agent-token", null);
        assertEquals(200, issued.status(), issued.body());
        token = issued.json().get("token").asText();
        alice = cluster.node(0).signedIn("alice");
        start(B, "cluster-agent-" + envId);
    }

    @AfterEach
    void stopAgents() {
        HawserAgentProcess.endTest(terminals, agents, () -> admin.delete("api/environments/" + envId), FEW_SECONDS);
    }

    private HawserAgentProcess start(int node, String name) {
        HawserAgentProcess agent = HawserAgentProcess.start(cluster.node(node).baseUrl(), token, name);
        agents.add(agent);
        awaitAgent(node, name);
        return agent;
    }

    /** Waits until {@code node} lists the agent {@code name} as connected, which it does for its own agents. */
    private void awaitAgent(int node, String name) {
        ApiClient nodeAdmin = admin.at(cluster.node(node).baseUrl());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            ApiClient.Response list = nodeAdmin.get("api/environments");
            for (JsonNode e : list.json()) {
                if (e.get("id").asInt() == envId && e.at("/agent/connected").asBoolean()
                        && name.equals(e.at("/agent/agentName").asText())) {
                    return;
                }
            }
            last = list.body();
            Engine.sleep(100);
        }
        throw new AssertionError("agent " + name + " did not connect to node-" + node + ": " + last + "\n"
                + agents.get(agents.size() - 1).log());
    }

    private ApiClient alice(int node) {
        return alice.at(cluster.node(node).baseUrl());
    }

    /**
     * The containers through {@code node}, once it learnt of the environment and where its agent is: both reach the
     * other nodes through the grid a moment after the change, so this waits for the first 200, and fails with the
     * last answer.
     */
    private ApiClient.Response containers(ApiClient client) {
        long deadline = System.nanoTime() + FEW_SECONDS.toNanos();
        ApiClient.Response list;
        while ((list = client.get("api/containers?envId=" + envId)).status() != 200) {
            assertTrue(System.nanoTime() < deadline, list.status() + " " + list.body());
            Engine.sleep(100);
        }
        return list;
    }

    private TerminalClient attach(ApiClient client, String execId) {
        TerminalClient terminal = client.attach(execId, "envId=" + envId);
        terminals.add(terminal);
        return terminal;
    }

    private String created(ApiClient.Response created) {
        assertEquals(200, created.status(), created.body());
        return created.json().get("execId").asText();
    }

    private static void assertSize(TerminalClient terminal, String marker, int rows, int cols) {
        terminal.type("echo " + marker + "-$(stty size | tr ' ' x)-end\n");
        terminal.await(marker + "-" + rows + "x" + cols + "-end", FEW_SECONDS);
    }

    @Test
    void everyCallThroughEveryNodeAndATerminalCreatedAndSizedElsewhereRunsOnTheAgentsNode() {
        for (int node = 0; node < 3; node++) {
            ApiClient alice = alice(node);
            ApiClient.Response list = containers(alice);
            assertTrue(list.body().contains("\"ph-busybox\""), "node-" + node + ": " + list.body());
            ApiClient.Response shells = alice.get("api/containers/ph-bash/shells?envId=" + envId);
            assertEquals(200, shells.status(), "node-" + node + ": " + shells.body());
            assertTrue(shells.body().contains("/bin/bash"), shells.body());
            ApiClient.Response missing = alice.postExec(envId, "ph-no-such-container", "{}");
            assertEquals(404, missing.status(), "node-" + node + ": " + missing.body());
            assertTrue(missing.error().contains("ph-no-such-container"), missing.body());
        }

        String execId = created(alice(0).postExec(envId, "ph-busybox", "{}"));
        assertEquals(200, alice(2).resize(envId, execId, 33, 111).status(), "the size before attach, recorded");
        TerminalClient terminal = attach(alice(B), execId);
        assertSize(terminal, "first", 33, 111);
        ApiClient.Response resized = alice(0).resize(envId, execId, 44, 122);
        assertEquals(200, resized.status(), resized.body());
        assertSize(terminal, "second", 44, 122);
        assertEquals(200, alice(2).resize(envId, execId, 45, 123).status());
        assertSize(terminal, "third", 45, 123);

        String line = "x".repeat(900); // BusyBox's line editor keeps 1023 bytes of a line, and drops the rest
        terminal.type("echo " + line + "-$((20+22))\n");
        terminal.await(line + "-42", FEW_SECONDS);
        terminal.type("seq 1 200000; echo seq-$((1+1))-done\n");
        String output = terminal.await("seq-2-done", Duration.ofSeconds(60));
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 200000; i++) {
            expected.append(i).append("\r\n");
        }
        assertTrue(output.contains(expected), "seq 1 200000 arrived changed, or not whole");

        terminal.type("sleep 1091\n");
        Engine.awaitRunning("ph-busybox", "sleep 1091", FEW_SECONDS);
        terminal.close();
        terminal.awaitClose(FEW_SECONDS);
        Engine.awaitGone("ph-busybox", "sleep 1091", FEW_SECONDS);
        assertEquals(404, alice(0).resize(envId, execId, 10, 10).status(), "ended: unknown everywhere");
    }

    /**
     * The figure for README: a container list through the agent's node and through another node, which routes it
     * there, medians of {@code -Dporthole.it.routedRuns} (default 15) each, printed; nothing timed is asserted.
     */
    @Test
    void aCallThroughAnotherNodeTakesTheHopsToTheAgentsNodeMore() {
        int runs = Integer.getInteger("porthole.it.routedRuns", 15);
        ApiClient here = alice(B);
        ApiClient elsewhere = alice(0);
        containers(elsewhere);
        List<Long> direct = new ArrayList<>();
        List<Long> routed = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            direct.add(timedList(here));
            routed.add(timedList(elsewhere));
        }
        System.out.printf("container list through the agent's node: median %.1f ms; through another node: median"
                + " %.1f ms (%d runs each)%n", median(direct) / 1e6, median(routed) / 1e6, runs);
    }

    private long timedList(ApiClient client) {
        long start = System.nanoTime();
        ApiClient.Response list = client.get("api/containers?envId=" + envId);
        long took = System.nanoTime() - start;
        assertEquals(200, list.status(), list.body());
        return took;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    @Test
    void anAttachThroughANodeWithoutTheAgentIsRefusedAndNamesTheAgentsNodeAndTheInstanceStaysForIt() {
        for (int creator : new int[] {0, B}) {
            String execId = created(alice(creator).postExec(envId, "ph-busybox", "{}"));
            TerminalClient.Closed refused = alice(2).attach(execId, "envId=" + envId).awaitClose(FEW_SECONDS);
            assertEquals(4409, refused.code(), refused.reason());
            assertTrue(refused.reason().contains("node-1"), refused.reason());
            TerminalClient terminal = attach(alice(B), execId);
            terminal.type("echo still-$((3+4))\n");
            terminal.await("still-7", FEW_SECONDS);
            terminal.type("exit 0\n");
            assertEquals("exit 0", terminal.awaitClose(FEW_SECONDS).reason());
        }
    }

    @Test
    void throughTheBalancerEveryCallReachesSeveralNodesAndWorks() throws Exception {
        ApiClient balanced = new ApiClient(cluster.nginx().baseUrl(), cluster.nginx().clientTls())
                .signIn("alice", "alice-password");
        containers(balanced);
        for (int round = 0; round < 3; round++) {
            assertEquals(200, balanced.get("api/containers?envId=" + envId).status());
            String execId = created(balanced.postExec(envId, "ph-busybox", "{}"));
            ApiClient.Response resized = balanced.resize(envId, execId, 30 + round, 90);
            assertEquals(200, resized.status(), resized.body());
            TerminalClient terminal = attachThroughTheBalancer(balanced, execId);
            assertSize(terminal, "balanced" + round, 30 + round, 90);
            resized = balanced.resize(envId, execId, 40 + round, 100);
            assertEquals(200, resized.status(), resized.body());
            assertSize(terminal, "rebalanced" + round, 40 + round, 100);
            terminal.type("exit 0\n");
            terminal.awaitClose(FEW_SECONDS);
        }
        Set<String> nodes = new HashSet<>(cluster.nginx().upstreamsOf("GET", "/porthole/api/containers"));
        nodes.addAll(cluster.nginx().upstreamsOf("POST", "/porthole/api/containers/ph-busybox/exec"));
        assertTrue(nodes.size() >= 2, "round robin took every call to one node: " + nodes);
    }

    /**
     * Attaches through nginx until round robin takes the attach to the agent's node: each attach that reaches another
     * node is refused, naming the agent's node, and leaves the instance waiting. Three nodes in turn: within three.
     */
    private TerminalClient attachThroughTheBalancer(ApiClient balanced, String execId) {
        List<TerminalClient.Closed> refusals = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            TerminalClient terminal = attach(balanced, execId);
            try {
                terminal.type("echo attached-$((5+6))\n");
            } catch (java.util.concurrent.CompletionException closedMeanwhile) {
                // refused: its socket closed before or while it was typed into, as seen below
            }
            long deadline = System.nanoTime() + FEW_SECONDS.toNanos();
            while (!terminal.output().contains("attached-11") && !terminal.isClosed()) {
                assertTrue(System.nanoTime() < deadline, "neither an answer nor a close: " + terminal.output());
                Engine.sleep(20);
            }
            if (terminal.output().contains("attached-11")) {
                return terminal;
            }
            TerminalClient.Closed refused = terminal.awaitClose(FEW_SECONDS);
            assertEquals(4409, refused.code(), refused.reason());
            assertTrue(refused.reason().contains("node-1"), refused.reason());
            refusals.add(refused);
        }
        throw new AssertionError("round robin never took the attach to the agent's node: " + refusals);
    }

    @Test
    void anAgentThatReconnectsToAnotherNodeServesThroughEveryNode() {
        containers(alice(0));
        agents.get(0).kill();
        start(2, "cluster-agent-" + envId + "-moved");
        for (int node = 0; node < 3; node++) {
            assertTrue(containers(alice(node)).body().contains("\"ph-busybox\""));
        }
        String execId = created(alice(B).postExec(envId, "ph-busybox", "{}"));
        assertEquals(200, alice(0).resize(envId, execId, 27, 77).status());
        TerminalClient.Closed refused = alice(B).attach(execId, "envId=" + envId).awaitClose(FEW_SECONDS);
        assertEquals(4409, refused.code(), refused.reason());
        assertTrue(refused.reason().contains("node-2"), refused.reason());
        TerminalClient terminal = attach(alice(2), execId);
        assertSize(terminal, "moved", 27, 77);
        terminal.type("exit 0\n");
        assertEquals("exit 0", terminal.awaitClose(FEW_SECONDS).reason());
    }

    @Test
    void aTerminalWhoseAgentDropsClosesAsOnOneNodeAndItsProcessesEndWhenTheAgentIsBackOnAnotherNode() {
        String execId = created(alice(0).postExec(envId, "ph-busybox", "{}"));
        TerminalClient terminal = attach(alice(B), execId);
        terminal.type("(trap '' HUP; exec sleep 1093) >/dev/null 2>&1 & sleep 1094\n");
        Engine.awaitRunning("ph-busybox", "sleep 1094", FEW_SECONDS);
        agents.get(0).kill();
        TerminalClient.Closed closed = terminal.awaitClose(FEW_SECONDS);
        assertEquals(1011, closed.code(), closed.reason());
        assertTrue(closed.reason().contains("cluster-agent-" + envId + "' disconnected"), closed.reason());
        ApiClient.Response offline = alice(0).get("api/containers?envId=" + envId);
        assertEquals(502, offline.status(), offline.body());
        // nothing can reach the container while no agent is connected
        assertTrue(Engine.processes("ph-busybox").contains("sleep 1094"));
        start(2, "cluster-agent-" + envId + "-back");
        Engine.awaitGone("ph-busybox", "sleep 1093", FEW_SECONDS);
        Engine.awaitGone("ph-busybox", "sleep 1094", FEW_SECONDS);
    }
}
