package dev.porthole.it.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.collection.IQueue;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import dev.porthole.cluster.ClusterOptions;
import dev.porthole.it.ApiClient;
import dev.porthole.it.Paste;
import dev.porthole.it.Engine;
import dev.porthole.it.TerminalClient;
import dev.porthole.it.TestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An edge environment whose real Hawser agent is connected to one node of three, behind nginx (round robin): the
 * calls that need the agent (containers, shells, exec create, resize) work through every node, a terminal attached
 * through another node runs there with its bytes relayed from the agent's node as on one node (order, flow control,
 * ending), and an agent that reconnects to another node serves the same. Each test makes its own environment, token
 * and agent, connected to node-1.
 */
class ClusterEdgeIT {
    /** The agent's buffer per terminal: above what the paused client's test holds back on the agent's node. */
    private static final int TERMINAL_BUFFER_BYTES = 32 * 1024 * 1024;
    private static final Duration FEW_SECONDS = Duration.ofSeconds(20);
    /** The agent's node. */
    private static final int B = 1;
    /** A node without the agent, which an attach through it makes relay the terminal's bytes from B. */
    private static final int C = 2;
    private static final String RELAY_QUEUES = "porthole.relay.";
    private static TestCluster cluster;
    /** A member of the nodes' grid, to look at their relay queues. */
    private static HazelcastInstance grid;
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
        cluster = TestCluster.start("cluster-edge-it", 3, "edge.failed-hellos-per-address=1000",
                "edge.terminal-buffer-bytes=" + TERMINAL_BUFFER_BYTES);
        grid = cluster.probe();
        if (grid.getCluster().getMembers().size() != 4) {
            throw new AssertionError("the probe did not join the nodes: " + grid.getCluster().getMembers());
        }
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

    /** The relay queues in the grid now, by name: every member, the probe too, knows every queue's proxy. */
    private static Map<String, IQueue<?>> relayQueues() {
        Map<String, IQueue<?>> queues = new TreeMap<>();
        for (DistributedObject object : grid.getDistributedObjects()) {
            if (object.getName().startsWith(RELAY_QUEUES) && object instanceof IQueue<?> queue) {
                queues.put(object.getName(), queue);
            }
        }
        return queues;
    }

    private static void awaitNoRelayQueue() {
        long deadline = System.nanoTime() + FEW_SECONDS.toNanos();
        while (!relayQueues().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "relay queues left: " + relayQueues().keySet());
            Engine.sleep(50);
        }
    }

    @Test
    void everyCallThroughEveryNodeAndATerminalAttachedThroughANodeWithoutTheAgentWorksAsOnOneNode() throws Exception {
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
        assertEquals(200, alice(0).resize(envId, execId, 32, 110).status(), "the size before attach, recorded");
        assertEquals(200, alice(C).resize(envId, execId, 33, 111).status(), "the size before attach, recorded");
        TerminalClient terminal = attach(alice(C), execId);
        assertSize(terminal, "first", 33, 111);
        assertEquals(2, relayQueues().size(), "its two queues: " + relayQueues().keySet());
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
        Paste.oneMebibyte().typeAndCheck(terminal::type, terminal::await);

        terminal.type("sleep 1091\n");
        Engine.awaitRunning("ph-busybox", "sleep 1091", FEW_SECONDS);
        terminal.close();
        terminal.awaitClose(FEW_SECONDS);
        Engine.awaitGone("ph-busybox", "sleep 1091", FEW_SECONDS);
        awaitNoRelayQueue();
        assertEquals(404, alice(0).resize(envId, execId, 10, 10).status(), "ended: unknown everywhere");
    }

    /**
     * A client that reads nothing for a while: the output waits in the relay's queue, at its bound, on the agent's
     * node, and after it in the agent's own buffer as on one node; once the client reads again, all of it comes, in
     * order. {@code seq} prints 6.9 MB: more than the queue and the sockets between the node and the client hold (up
     * to net.ipv4.tcp_wmem's 4 MiB here: 2.3 MB fitted in them once on a loaded machine, and the queue never filled),
     * less than the queue, the sockets and the agent's buffer together, so the terminal is held back, not cut off.
     */
    @Test
    void aRelayedTerminalWhoseClientStopsReadingHoldsItsOutputAtTheQueuesBoundAndResumesInOrder() throws Exception {
        String execId = created(alice(0).postExec(envId, "ph-busybox", "{}"));
        PausedClient client = new PausedClient();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", alice.sessionCookie())
                .buildAsync(URI.create(cluster.node(C).baseUrl().replaceFirst("^http", "ws")
                        + "api/containers/exec/" + execId + "/attach?envId=" + envId), client).join();
        try {
            client.awaitText("# ", FEW_SECONDS);
            client.pause();
            socket.sendText("seq 1 1000000; echo paused-$((2+3))-end\n", true).join();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (relayQueues().values().stream().noneMatch(q -> q.size() == ClusterOptions.DEFAULT_RELAY_QUEUE_ITEMS)) {
                assertTrue(System.nanoTime() < deadline, "the output queue never filled: " + sizes());
                Engine.sleep(100);
            }
            for (int look = 0; look < 30; look++) { // three seconds of a client that reads nothing
                relayQueues().values().forEach(q -> assertTrue(q.size() <= ClusterOptions.DEFAULT_RELAY_QUEUE_ITEMS,
                        "over its bound: " + sizes()));
                Engine.sleep(100);
            }
            client.resume();
            String output = client.awaitText("paused-5-end", Duration.ofSeconds(60));
            StringBuilder expected = new StringBuilder();
            for (int i = 1; i <= 1000000; i++) {
                expected.append(i).append("\r\n");
            }
            assertTrue(output.contains(expected), "seq 1 1000000 arrived changed, or not whole");
            socket.sendClose(1000, "bye").join();
        } finally {
            socket.abort();
        }
        awaitNoRelayQueue();
    }

    private static Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new TreeMap<>();
        relayQueues().forEach((name, queue) -> sizes.put(name, queue.size()));
        return sizes;
    }

    /** A terminal client that stops asking for messages while paused, as a browser tab that is not read. */
    private static final class PausedClient implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private WebSocket socket;
        private boolean paused;
        private boolean owed;

        @Override
        public synchronized void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public synchronized CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            notifyAll();
            if (paused) {
                owed = true;
            } else {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public synchronized CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
            return onText(webSocket, java.nio.charset.StandardCharsets.UTF_8.decode(data), last);
        }

        synchronized void pause() {
            paused = true;
        }

        synchronized void resume() {
            paused = false;
            if (owed) {
                owed = false;
                socket.request(1);
            }
        }

        synchronized String awaitText(String needle, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (text.indexOf(needle) < 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                assertTrue(left > 0, "no " + needle + " in " + text.substring(Math.max(0, text.length() - 300)));
                wait(Math.min(left, 100));
            }
            return text.toString();
        }
    }

    /**
     * The figure for README: the echo of one key at a time through the agent's node and through another node, which
     * relays it; the median of each of {@code -Dporthole.it.echoRuns} (default 5) runs of 200 keys, printed, and the
     * median of those; nothing timed is asserted.
     */
    @Test
    void aKeyThroughANodeWithoutTheAgentTakesTheRelaysHopsMore() {
        int runs = Integer.getInteger("porthole.it.echoRuns", 5);
        TerminalClient direct = attach(alice(B), created(alice(0).postExec(envId, "ph-busybox", "{}")));
        TerminalClient relayed = attach(alice(C), created(alice(0).postExec(envId, "ph-busybox", "{}")));
        for (TerminalClient terminal : List.of(direct, relayed)) {
            terminal.type("echo ready-$((4+4))\n");
            terminal.await("ready-8", FEW_SECONDS);
        }
        List<Long> directRuns = new ArrayList<>();
        List<Long> relayedRuns = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            directRuns.add(medianEcho(direct));
            relayedRuns.add(medianEcho(relayed));
        }
        System.out.printf("echo of one key through the agent's node: median %.2f ms (runs %s us); through another"
                + " node: median %.2f ms (runs %s us)%n", median(directRuns) / 1e6, micros(directRuns),
                median(relayedRuns) / 1e6, micros(relayedRuns));
        direct.close();
        relayed.close();
    }

    private static List<Long> micros(List<Long> nanos) {
        return nanos.stream().map(n -> n / 1000).toList();
    }

    /** The median echo of 200 keys typed one at a time, each once the one before came back; the line then cleared. */
    private static long medianEcho(TerminalClient terminal) {
        List<Long> echoes = new ArrayList<>();
        for (int key = 0; key < 200; key++) {
            int before = terminal.outputLength();
            long start = System.nanoTime();
            terminal.type("k");
            terminal.awaitMoreThan(before, FEW_SECONDS);
            echoes.add(System.nanoTime() - start);
        }
        terminal.type("\u0015");
        Engine.sleep(200);
        return (long) median(echoes);
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
    void anAttachThroughANodeWithoutTheAgentIsRelayedWhicheverNodeCreatedItAndEndsWithTheShellsExit() {
        for (int creator : new int[] {0, B, C}) {
            String execId = created(alice(creator).postExec(envId, "ph-busybox", "{}"));
            TerminalClient terminal = attach(alice(C), execId);
            terminal.type("echo still-$((3+4))\n");
            terminal.await("still-7", FEW_SECONDS);
            terminal.type("exit 3\n");
            TerminalClient.Closed closed = terminal.awaitClose(FEW_SECONDS);
            assertEquals(1000, closed.code(), closed.reason());
            assertEquals("exit 3", closed.reason(), "the exit code, found through the agent's node");
            awaitNoRelayQueue();
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
            TerminalClient terminal = attach(balanced, execId);
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
        awaitNoRelayQueue();
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
        TerminalClient terminal = attach(alice(B), execId);
        assertSize(terminal, "moved", 27, 77);
        terminal.type("exit 0\n");
        assertEquals("exit 0", terminal.awaitClose(FEW_SECONDS).reason());
    }

    @Test
    void aTerminalWhoseAgentDropsClosesAsOnOneNodeAndItsProcessesEndWhenTheAgentIsBackOnAnotherNode() {
        aTerminalWhoseAgentDropsThrough(B);
    }

    @Test
    void aRelayedTerminalWhoseAgentDropsClosesAsOnOneNodeAndItsProcessesEndWhenTheAgentIsBackOnAnotherNode() {
        aTerminalWhoseAgentDropsThrough(C);
        awaitNoRelayQueue();
    }

    private void aTerminalWhoseAgentDropsThrough(int node) {
        String execId = created(alice(0).postExec(envId, "ph-busybox", "{}"));
        TerminalClient terminal = attach(alice(node), execId);
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
