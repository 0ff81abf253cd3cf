package dev.porthole.it.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.it.ApiClient;
import dev.porthole.it.Engine;
import dev.porthole.it.TerminalClient;
import dev.porthole.it.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The edge scenario with the real Hawser agent, the binary operators run ({@link HawserAgentProcess}), against a
 * Porthole of its own with the edge defaults and the real engine: each test makes an edge environment through the
 * admin API, issues its token, and starts an agent with it. The simulator's tests cover what this agent cannot be
 * made to do (hostile messages, a silent agent).
 *
 * <p>{@code -Dporthole.it.pasteRuns=N}, {@code -Dporthole.it.parallelRounds=N} and {@code -Dporthole.it.exits=N}
 * repeat the paste and exit-code scenarios for the figures in README.
 */
class RealAgentIT {
    private static final Duration FEW_SECONDS = Duration.ofSeconds(15);
    private static TestServer.Running server;
    private final List<HawserAgentProcess> agents = new ArrayList<>();
    private final List<TerminalClient> terminals = new ArrayList<>();
    private ApiClient admin;
    private ApiClient alice;
    private int envId;
    private String token;

    @BeforeAll
    static void startServer() {
        HawserAgentProcess.binary(); // fails at once, and clearly, without the agent
        // Every agent dials from 127.0.0.1, and an agent with a revoked token keeps trying: no lockout of the address.
        server = TestServer.startServer("edge.failed-hellos-per-address=1000");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void environmentWithAnAgent() {
        admin = server.signedIn("admin");
        alice = server.signedIn("alice");
        ApiClient.Response created = admin.post("api/environments", "{\"name\":\"real agent\",\"type\":\"hawser-edge\"}");
        assertEquals(201, created.status(), created.body());
        envId = created.json().get("id").asInt();
        token = issueToken();
        start(token, "real-agent-" + envId);
    }

    @AfterEach
    void stopAgents() {
        HawserAgentProcess.endTest(terminals, agents, () -> admin.delete("api/environments/" + envId), FEW_SECONDS);
    }

    private String issueToken() {
        ApiClient.Response issued = admin.post("api/environments/" + envId + "/agent-token", null);
        assertEquals(200, issued.status(), issued.body());
        return issued.json().get("token").asText();
    }

    private HawserAgentProcess start(String agentToken, String name) {
        HawserAgentProcess agent = HawserAgentProcess.start(server.baseUrl(), agentToken, name);
        agents.add(agent);
        awaitAgent(name, true);
        return agent;
    }

    /** Waits until the listing shows the agent {@code name} connected, or not. */
    private void awaitAgent(String name, boolean connected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            ApiClient.Response list = admin.get("api/environments");
            for (JsonNode e : list.json()) {
                if (e.get("id").asInt() == envId && e.at("/agent/connected").asBoolean() == connected
                        && (!connected || name.equals(e.at("/agent/agentName").asText()))) {
                    return;
                }
            }
            last = list.body();
            sleep(100);
        }
        throw new AssertionError("agent " + name + (connected ? " did not connect: " : " did not go: ") + last + "\n"
                + agents.get(agents.size() - 1).log());
    }

    private static void awaitLog(HawserAgentProcess agent, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!agent.log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("agent " + agent.name() + " never logged '" + text + "':\n" + agent.log());
            }
            sleep(100);
        }
    }

    private TerminalClient terminal(String container, String body) {
        ApiClient.Response created = alice.postExec(envId, container, body);
        assertEquals(200, created.status(), created.body());
        return attach(created.json().get("execId").asText());
    }

    /** A terminal on ph-busybox that runs {@code command}, once {@code marker} shows among the container's processes. */
    private TerminalClient running(String command, String marker) {
        TerminalClient terminal = terminal("ph-busybox", "{}");
        terminal.type(command + "\n");
        Engine.awaitRunning("ph-busybox", marker, FEW_SECONDS);
        return terminal;
    }

    /** Waits for the close, checks its code and that its reason names no "null", and answers the reason. */
    private static String awaitClose(TerminalClient terminal, int code) {
        TerminalClient.Closed closed = terminal.awaitClose(FEW_SECONDS);
        assertEquals(code, closed.code(), closed.reason());
        assertFalse(closed.reason().contains("null"), closed.reason());
        return closed.reason();
    }

    private TerminalClient attach(String execId) {
        TerminalClient terminal = alice.attach(execId, "envId=" + envId);
        terminals.add(terminal);
        return terminal;
    }

    @Test
    void containersShellsAndTheAgentAreListed() {
        ApiClient.Response containers = alice.get("api/containers?envId=" + envId);
        assertEquals(200, containers.status(), containers.body());
        assertTrue(containers.body().contains("\"ph-busybox\""), containers.body());
        ApiClient.Response shells = alice.get("api/containers/ph-bash/shells?envId=" + envId);
        assertEquals(200, shells.status(), shells.body());
        assertTrue(shells.body().contains("/bin/bash"), shells.body());
        for (JsonNode e : admin.get("api/environments").json()) {
            if (e.get("id").asInt() == envId) {
                assertEquals("0.2.14", e.at("/agent/version").asText(), e.toString());
                assertTrue(e.at("/engine/reachable").asBoolean(), e.toString());
            }
        }
    }

    @Test
    void aShellEchoesResizesKeepsUtf8AndEndsWithItsExitCode() {
        TerminalClient sh = terminal("ph-busybox", "{}");
        sh.type("echo hello-$((40+2))\n");
        sh.await("hello-42");
        sh.type("echo size-$(stty size | tr ' ' x)\n");
        sh.await("size-24x80");
        ApiClient.Response created = alice.postExec(envId, "ph-busybox", "{}");
        String execId = created.json().get("execId").asText();
        TerminalClient resized = attach(execId);
        assertEquals(200, alice.resize(envId, execId, 33, 101).status());
        resized.type("echo size-$(stty size | tr ' ' x)\n");
        resized.await("size-33x101");
        resized.type("exit 0\n");
        assertEquals("exit 0", resized.awaitClose(FEW_SECONDS).reason());
        sh.type("printf '%s-%s\\n' 'é€😀' $((6*7))\n");
        assertTrue(sh.await("é€😀-42").contains("é€😀-42"));
        assertFalse(sh.output().contains("\uFFFD"), sh.output());
        sh.type("exit 3\n");
        TerminalClient.Closed closed = sh.awaitClose(FEW_SECONDS);
        assertEquals(1000, closed.code());
        assertEquals("exit 3", closed.reason());
    }

    @Test
    void bashRunsAsWwwData() {
        TerminalClient bash = terminal("ph-bash", "{\"shell\":\"/bin/bash\",\"user\":\"www-data\"}");
        bash.type("echo uid=$(id -u) bash=${BASH_VERSION%%.*} done-$((1+1)); sleep 1061 &\n");
        assertTrue(bash.await("done-2").matches("(?s).*uid=33 bash=\\d+ done-2.*"), bash.output());
        Engine.awaitRunning("ph-bash", "sleep 1061", FEW_SECONDS);
        bash.type("exit 7\n");
        assertEquals("exit 7", bash.awaitClose(FEW_SECONDS).reason());
        Engine.awaitGone("ph-bash", "sleep 1061", FEW_SECONDS);
    }

    @Test
    void closingATerminalLeavesNoProcess() {
        TerminalClient terminal = terminal("ph-busybox", "{}");
        terminal.type("sleep 1062 &\n");
        terminal.type("(trap '' HUP; exec sleep 1063) >/dev/null 2>&1 &\n");
        terminal.type("sleep 1064\n");
        for (String marker : new String[] {"sleep 1062", "sleep 1063", "sleep 1064"}) {
            Engine.awaitRunning("ph-busybox", marker, FEW_SECONDS);
        }
        terminal.close();
        for (String marker : new String[] {"sleep 1062", "sleep 1063", "sleep 1064"}) {
            Engine.awaitGone("ph-busybox", marker, FEW_SECONDS);
        }
    }

    @Test
    void aOneMebibytePasteArrivesExactly() throws Exception {
        int runs = Integer.getInteger("porthole.it.pasteRuns", 3);
        List<String> changed = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            String result = paste(terminal("ph-busybox", "{}"), numbered(1 << 20, run), "1 MiB run " + run);
            if (result != null) {
                changed.add(result);
            }
        }
        assertEquals(List.of(), changed, changed.size() + " of " + runs + " pastes of 1 MiB arrived changed");
    }

    @Test
    void eightTerminalsOfOneAgentPasteAtOnceAndEachArrivesExactly() throws Exception {
        int rounds = Integer.getInteger("porthole.it.parallelRounds", 1);
        List<String> changed = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < rounds; round++) {
                List<TerminalClient> terminals = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    terminals.add(terminal("ph-busybox", "{}"));
                }
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    TerminalClient terminal = terminals.get(i);
                    byte[] bytes = numbered(256 * 1024, round * 8 + i);
                    String name = "256 KiB round " + round + " terminal " + i;
                    results.add(clients.submit(() -> paste(terminal, bytes, name)));
                }
                for (Future<String> result : results) {
                    String r = result.get(5, TimeUnit.MINUTES);
                    if (r != null) {
                        changed.add(r);
                    }
                }
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(List.of(), changed, changed.size() + " of " + (8 * rounds) + " parallel pastes arrived changed");
    }

    @Test
    void fastTypingArrivesInOrder() throws Exception {
        int runs = Integer.getInteger("porthole.it.typingRuns", 1);
        List<String> changed = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            TerminalClient terminal = terminal("ph-busybox", "{}");
            StringBuilder typed = new StringBuilder();
            for (int i = 0; i < 1500; i++) {
                typed.append(i % 60 == 59 ? '\n' : (char) ('!' + (i * 7 + run) % 90));
            }
            typed.append('\n');
            // head, not cat and Ctrl-D: it ends after as many bytes whatever their order, so that the order can be shown
            terminal.type("stty -echo; echo READY-$((1+1)); head -c " + typed.length() + " > /tmp/typed-$$; stty echo; "
                    + "echo \"<$(cat /tmp/typed-$$ | tr '\\n' '~')>\"; rm /tmp/typed-$$; echo END-$((2*3))\n");
            terminal.await("READY-2");
            for (int i = 0; i < typed.length(); i++) {
                terminal.type(String.valueOf(typed.charAt(i))); // a message per key, as a browser sends them
            }
            String output = terminal.await("END-6", Duration.ofSeconds(60));
            terminal.close();
            String expected = "<" + typed.toString().replace('\n', '~') + ">";
            int at = output.indexOf('<', output.indexOf("READY-2"));
            String got = at < 0 ? output : output.substring(at, Math.min(output.length(), at + expected.length()));
            boolean same = got.equals(expected);
            int differs = 0;
            while (same == false && differs < Math.min(got.length(), expected.length())
                    && got.charAt(differs) == expected.charAt(differs)) {
                differs++;
            }
            System.out.println("typing run " + run + ": " + (same ? "in order" : "CHANGED from character " + differs));
            if (!same) {
                System.out.println("TYPED " + expected + "\nGOT   " + got);
                changed.add("run " + run + " from character " + differs + ": expected ..."
                        + expected.substring(Math.max(0, differs - 5), Math.min(expected.length(), differs + 40)) + "... got ..."
                        + got.substring(Math.max(0, differs - 5), Math.min(got.length(), differs + 40)) + "...");
            }
        }
        assertEquals(List.of(), changed, changed.size() + " of " + runs + " typing runs arrived changed");
    }

    @Test
    void aKilledAgentsTerminalsCloseAndItsOrphansEndWhenAnAgentIsBack() {
        TerminalClient terminal = running("(trap '' HUP; exec sleep 1065) >/dev/null 2>&1 & sleep 1066", "sleep 1066");
        agents.get(0).kill();
        String reason = awaitClose(terminal, 1011);
        assertTrue(reason.contains("real-agent-" + envId + "' disconnected"), reason);
        awaitAgent(null, false);
        // nothing can reach the container while no agent is connected
        assertTrue(Engine.processes("ph-busybox").contains("sleep 1066"));
        start(token, "real-agent-" + envId + "-back");
        Engine.awaitGone("ph-busybox", "sleep 1065", FEW_SECONDS);
        Engine.awaitGone("ph-busybox", "sleep 1066", FEW_SECONDS);
        TerminalClient again = terminal("ph-busybox", "{}");
        again.type("echo back-$((2+3))\n");
        again.await("back-5");
        again.close();
    }

    @Test
    void aStoppedAgentsTerminalsCloseWithAReasonAndNoNull() {
        TerminalClient terminal = running("sleep 1067", "sleep 1067");
        agents.get(0).terminate();
        String reason = awaitClose(terminal, 1011);
        assertTrue(reason.startsWith("the engine went away: Hawser agent"), reason);
        start(token, "real-agent-" + envId + "-back");
        Engine.awaitGone("ph-busybox", "sleep 1067", FEW_SECONDS);
    }

    @Test
    void regeneratingTheTokenEndsTheTerminalsProcessesAtOnceAndANewAgentWorks() {
        TerminalClient terminal = running("(trap '' HUP; exec sleep 1068) >/dev/null 2>&1 & sleep 1069", "sleep 1069");
        String newer = issueToken();
        String reason = awaitClose(terminal, 1001);
        assertTrue(reason.endsWith("was changed"), reason);
        // ended through the agent that proved the old token, before it was let go
        Engine.awaitGone("ph-busybox", "sleep 1068", FEW_SECONDS);
        Engine.awaitGone("ph-busybox", "sleep 1069", FEW_SECONDS);
        awaitAgent(null, false);
        awaitLog(agents.get(0), "Invalid token"); // the old token is refused when the agent tries again
        agents.get(0).kill();
        start(newer, "real-agent-" + envId + "-new-token");
        TerminalClient again = terminal("ph-busybox", "{}");
        again.type("echo new-token-$((3+4))\n");
        again.await("new-token-7");
        again.type("exit 0\n");
        assertEquals("exit 0", again.awaitClose(FEW_SECONDS).reason());
    }

    @Test
    void whatALostAgentLeftIsEndedByTheAgentOfTheRegeneratedToken() {
        TerminalClient terminal = running("sleep 1071", "sleep 1071");
        agents.get(0).kill();
        awaitClose(terminal, 1011);
        // the environment changes, and with it the engine that serves it: what the old one could not end is kept
        String newer = issueToken();
        assertTrue(Engine.processes("ph-busybox").contains("sleep 1071"));
        start(newer, "real-agent-" + envId + "-new-token");
        Engine.awaitGone("ph-busybox", "sleep 1071", FEW_SECONDS);
    }

    @Test
    void removingTheEnvironmentEndsItsTerminalsProcesses() {
        TerminalClient terminal = running("sleep 1070", "sleep 1070");
        assertEquals(204, admin.delete("api/environments/" + envId).status());
        String reason = awaitClose(terminal, 1001);
        assertTrue(reason.endsWith("was removed"), reason);
        Engine.awaitGone("ph-busybox", "sleep 1070", FEW_SECONDS);
    }

    @Test
    void exitCodesAreKnownWhileAnotherClientOpensShellsOnTheSameContainer() throws Exception {
        int exits = Integer.getInteger("porthole.it.exits", 20);
        AtomicBoolean busy = new AtomicBoolean(true);
        AtomicInteger others = new AtomicInteger();
        ExecutorService other = Executors.newSingleThreadExecutor();
        // Another client opens root shells running /bin/sh on the same container through a direct environment: to
        // the engine they look exactly like the agent's.
        Future<?> load = other.submit(() -> {
            ApiClient client = server.signedIn("alice");
            while (busy.get()) {
                TerminalClient shell = client.terminal(1, "ph-busybox");
                shell.type("echo other-$((1+1))\n");
                shell.await("other-2");
                shell.type("exit 0\n");
                shell.awaitClose(FEW_SECONDS);
                others.incrementAndGet();
            }
            return null;
        });
        List<String> unknown = new ArrayList<>();
        try {
            for (int i = 0; i < exits; i++) {
                TerminalClient terminal = terminal("ph-busybox", "{}");
                int code = i % 4;
                terminal.type("exit " + code + "\n");
                String reason = terminal.awaitClose(FEW_SECONDS).reason();
                if (!reason.equals("exit " + code)) {
                    unknown.add("exit " + code + " closed with '" + reason + "'");
                }
            }
        } finally {
            busy.set(false);
            load.get(1, TimeUnit.MINUTES);
            other.shutdownNow();
        }
        System.out.println("exit codes through the real agent: " + (exits - unknown.size()) + " of " + exits
                + " known while another client opened " + others.get() + " shells: " + unknown);
        assertTrue(others.get() > 0, "the other client opened no shell");
        assertTrue(unknown.size() * 100 <= exits, unknown.size() + " of " + exits + " unknown: " + unknown);
    }

    /**
     * Pastes {@code bytes} into {@code cat} as one message and Ctrl-D as the next, and compares the MD5 the container
     * computed; answers null when it matched, else what arrived.
     */
    private static String paste(TerminalClient terminal, byte[] bytes, String name) throws Exception {
        String md5 = md5(bytes);
        terminal.type("stty -echo; cat > /tmp/paste-$$; stty echo; echo SIZE-$(wc -c < /tmp/paste-$$); "
                + "md5sum /tmp/paste-$$; rm /tmp/paste-$$; echo END-$((2*3))\n");
        long start = System.nanoTime();
        terminal.type(new String(bytes, StandardCharsets.UTF_8));
        terminal.type("\u0004");
        String output = terminal.await("END-6", Duration.ofSeconds(120));
        long millis = (System.nanoTime() - start) / 1_000_000;
        terminal.close();
        int at = output.lastIndexOf("SIZE-");
        String got = at < 0 ? output : output.substring(at, Math.min(output.length(), at + 70)).replaceAll("\\s+", " ");
        boolean exact = output.contains(md5);
        System.out.println("paste " + name + ": " + (exact ? "exact" : "CHANGED") + " in " + millis + " ms (" + got + ")");
        return exact ? null : name + ": " + got;
    }

    /** {@code length} bytes of numbered lines, so that a changed paste shows where. */
    private static byte[] numbered(int length, int seed) {
        StringBuilder text = new StringBuilder(length);
        for (int line = 0; text.length() < length; line++) {
            String s = String.format("%d:%08d ", seed, line) + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU\n";
            text.append(s, 0, Math.min(s.length(), length - text.length()));
        }
        text.setCharAt(text.length() - 1, '\n');
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
