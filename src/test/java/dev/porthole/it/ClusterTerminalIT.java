package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Terminals across the three nodes of one cluster, with Debian's nginx in front (round robin, no stickiness): each
 * step of a terminal (create, resize, attach, resize) may reach any node, by calling the nodes directly and as a
 * browser's page does through nginx, and the terminal behaves as on one node.
 */
class ClusterTerminalIT {
    private static final int NODES = 3;
    /** Long enough for a slow machine to go from a create to its attach; the expiry test waits it out once. */
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration FEW_SECONDS = Duration.ofSeconds(20);
    /** Waiting and open terminals per user: each test but the limits' keeps one user below it. */
    private static final int LIMIT = 3;
    private static final String UNKNOWN = "unknown, expired or already used exec instance";
    private static TestCluster cluster;
    private static Nginx nginx;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start("cluster-terminal-it", NODES,
                "exec.attach-timeout=" + ATTACH_TIMEOUT.toSeconds() + "s",
                "limits.pending-per-user=" + LIMIT,
                "limits.sessions-per-user=" + LIMIT);
        nginx = cluster.nginx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ApiClient on(ApiClient client, int node) {
        return client.at(cluster.node(node).baseUrl());
    }

    /** The size the shell's terminal has, as {@code stty size} prints it ("rows cols"). */
    private static void assertSize(TerminalClient terminal, String marker, int rows, int cols) {
        terminal.type("echo " + marker + "-$(stty size | tr ' ' x)-end\n");
        terminal.await(marker + "-" + rows + "x" + cols + "-end", FEW_SECONDS);
    }

    @Test
    void createOnOneNodeResizeOnAnotherAttachOnAThirdAndResizeAgainFromTheSecond() {
        ApiClient alice = cluster.node(0).client().signIn("alice", "alice-password");
        String execId = alice.createExec("ph-busybox", "{}");
        assertEquals(200, on(alice, 1).resize(execId, 33, 111).status(), "the size before attach, recorded");
        TerminalClient terminal = on(alice, 2).attach(execId, "envId=1");
        assertSize(terminal, "first", 33, 111);
        ApiClient.Response again = on(alice, 1).resize(execId, 44, 122);
        assertEquals(200, again.status(), again.body());
        assertSize(terminal, "second", 44, 122);
        assertEquals(200, on(alice, 0).resize(execId, 45, 123).status(), "the creator routes it as well");
        assertSize(terminal, "third", 45, 123);
        terminal.type("sleep 1041\n");
        Engine.awaitRunning("ph-busybox", "sleep 1041", FEW_SECONDS);
        terminal.close();
        terminal.awaitClose();
        Engine.awaitGone("ph-busybox", "sleep 1041", FEW_SECONDS);
        assertEquals(404, on(alice, 1).resize(execId, 10, 10).status(), "ended: unknown everywhere");
        assertEquals(4404, on(alice, 0).attach(execId, "envId=1").awaitClose().code(), "single use");
    }

    @Test
    void aSizeGivenWithAnAttachOnAnotherNodeIsTheShellsFirstSize() {
        ApiClient alice = cluster.node(0).client().signIn("alice", "alice-password");
        String execId = alice.createExec("ph-busybox", "{}");
        assertEquals(200, on(alice, 1).resize(execId, 33, 111).status(), "an earlier size, recorded in the entry");
        TerminalClient terminal = on(alice, 2).attach(execId, "envId=1&h=42&w=142");
        assertSize(terminal, "attached", 42, 142);
        terminal.close();
    }

    @Test
    void thePagesOwnCallsThroughTheBalancerReachSeveralNodesAndWork() throws IOException {
        ApiClient alice = new ApiClient(nginx.baseUrl(), nginx.clientTls()).signIn("alice", "alice-password");
        Set<String> createdOnOtherNodeThanAttached = new HashSet<>();
        for (int round = 0; round < NODES; round++) {
            int creates = nginx.upstreamsOf("POST", "/porthole/api/containers/ph-busybox/exec").size();
            String execId = alice.createExec("ph-busybox", "{}");
            assertEquals(200, alice.resize(execId, 30 + round, 90).status());
            TerminalClient terminal = alice.attach(execId, "envId=1");
            assertSize(terminal, "balanced" + round, 30 + round, 90);
            ApiClient.Response resized = alice.resize(execId, 40 + round, 100);
            assertEquals(200, resized.status(), resized.body());
            assertSize(terminal, "rebalanced" + round, 40 + round, 100);
            terminal.close();
            terminal.awaitClose();
            String createdBy = nginx.awaitUpstreamsOf("POST", "/porthole/api/containers/ph-busybox/exec", creates + 1)
                    .get(creates);
            if (!attachedBy(execId).equals(createdBy)) {
                createdOnOtherNodeThanAttached.add(execId);
            }
        }
        assertTrue(!createdOnOtherNodeThanAttached.isEmpty(), "round robin never took an attach to another node");
    }

    /** The node that answered the attach of {@code execId}: nginx logs a socket's request once its connection ended. */
    private static String attachedBy(String execId) throws IOException {
        long deadline = System.nanoTime() + FEW_SECONDS.toNanos();
        List<String> attaches;
        while ((attaches = nginx.upstreamsOf("GET", "/porthole/api/containers/exec/" + execId + "/attach")).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "nginx never logged the attach of " + execId);
            Engine.sleep(50);
        }
        assertEquals(1, attaches.size(), attaches.toString());
        return attaches.get(0);
    }

    @Test
    void ofTwoNodesRacingToAttachOneInstanceExactlyOneWinsAndNothingIsLeft() throws Exception {
        ApiClient alice = cluster.node(0).client().signIn("alice", "alice-password");
        for (int round = 0; round < 3; round++) {
            String execId = alice.createExec("ph-busybox", "{}");
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService racers = Executors.newFixedThreadPool(2);
            List<TerminalClient> terminals = new ArrayList<>();
            try {
                List<Future<TerminalClient>> attaches = new ArrayList<>();
                for (int node = 1; node <= 2; node++) {
                    ApiClient client = on(alice, node);
                    attaches.add(racers.submit(() -> {
                        go.await();
                        return client.attach(execId, "envId=1");
                    }));
                }
                go.countDown();
                for (Future<TerminalClient> attach : attaches) {
                    terminals.add(attach.get(FEW_SECONDS.toSeconds(), TimeUnit.SECONDS));
                }
            } finally {
                racers.shutdownNow();
            }
            String marker = "sleep " + (1050 + round);
            for (TerminalClient terminal : terminals) {
                try {
                    terminal.type("echo won-$((40+2))\n");
                } catch (CompletionException closedMeanwhile) {
                    // the loser's socket may close before or while it is typed into: awaitWonOrClosed sees it
                }
            }
            List<TerminalClient> winners = new ArrayList<>();
            for (TerminalClient terminal : terminals) {
                if (awaitWonOrClosed(terminal)) {
                    winners.add(terminal);
                } else {
                    assertEquals(new TerminalClient.Closed(4404, UNKNOWN), terminal.awaitClose());
                }
            }
            assertEquals(1, winners.size(), "round " + round);
            TerminalClient winner = winners.get(0);
            winner.type(marker + "\n");
            Engine.awaitRunning("ph-busybox", marker, FEW_SECONDS);
            winner.close();
            winner.awaitClose();
            Engine.awaitGone("ph-busybox", marker, FEW_SECONDS);
        }
    }

    /** Whether the shell answered on {@code terminal} (it won the race), rather than its socket closing. */
    private static boolean awaitWonOrClosed(TerminalClient terminal) {
        long deadline = System.nanoTime() + FEW_SECONDS.toNanos();
        while (!terminal.output().contains("won-42")) {
            if (terminal.isClosed()) {
                return false;
            }
            assertTrue(System.nanoTime() < deadline, "neither an answer nor a close: " + terminal.output());
            Engine.sleep(20);
        }
        return true;
    }

    @Test
    void anotherCredentialOnAnotherNodeReachesNothingAndTheOwnerStillAttaches() {
        ApiClient alice = cluster.node(0).client().signIn("alice", "alice-password");
        String execId = alice.createExec("ph-busybox", "{}");
        ApiClient dave = cluster.node(1).client().signIn("dave", "dave-password");
        ApiClient.Response foreign = dave.resize(execId, 20, 20);
        assertEquals(404, foreign.status());
        assertEquals(UNKNOWN, foreign.error());
        assertEquals(new TerminalClient.Closed(4404, UNKNOWN), dave.attach(execId, "envId=1").awaitClose());
        ApiClient aliceAgain = cluster.node(2).client().signIn("alice", "alice-password");
        assertEquals(404, aliceAgain.resize(execId, 20, 20).status(), "another sign-in of the same user");
        assertEquals(4404, aliceAgain.attach(execId, "envId=1").awaitClose().code());
        TerminalClient mine = on(alice, 2).attach(execId, "envId=1");
        mine.type("echo mine-$((40+2))\n").await("mine-42", FEW_SECONDS);
        mine.close();
        mine.awaitClose();
    }

    @Test
    void anInstanceNotAttachedInTimeExpiresOnEveryNode() throws Exception {
        ApiClient alice = cluster.node(0).client().signIn("alice", "alice-password");
        String execId = alice.createExec("ph-busybox", "{}");
        // The grid counts its TTL in whole seconds: past the attach timeout and the next second.
        Thread.sleep(ATTACH_TIMEOUT.toMillis() + 1500);
        assertEquals(404, on(alice, 1).resize(execId, 10, 10).status());
        assertEquals(new TerminalClient.Closed(4404, UNKNOWN), on(alice, 2).attach(execId, "envId=1").awaitClose());
    }

    @Test
    void theLimitsPerUserCountTheTerminalsOfEveryNode() {
        ApiClient admin = cluster.node(0).client().signIn("admin", "admin-password");
        List<String> waiting = new ArrayList<>();
        for (int node = 0; node < LIMIT; node++) {
            waiting.add(on(admin, node).createExec("ph-busybox", "{}"));
        }
        ApiClient.Response pending = on(admin, 0).postExec(1, "ph-busybox", "{}");
        assertEquals(429, pending.status(), pending.body());
        assertEquals("limit reached: at most 3 exec instances waiting to be attached per user (limits.pending-per-user)",
                pending.error());
        List<TerminalClient> open = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            TerminalClient terminal = on(admin, (i + 1) % NODES).attach(waiting.get(i), "envId=1");
            terminal.type("echo open-$((40+" + i + "))\n").await("open-" + (40 + i), FEW_SECONDS);
            open.add(terminal);
        }
        ApiClient.Response perUser = on(admin, 2).postExec(1, "ph-busybox", "{}");
        assertEquals(429, perUser.status(), perUser.body());
        assertEquals("limit reached: at most 3 terminals per user (limits.sessions-per-user)", perUser.error());
        open.get(1).close();
        open.get(1).awaitClose(); // its node counted its end before it closed the socket
        String room = on(admin, 0).createExec("ph-busybox", "{}");
        TerminalClient another = on(admin, 1).attach(room, "envId=1");
        another.type("echo room-$((40+2))\n").await("room-42", FEW_SECONDS);
        open.set(1, another);
        for (TerminalClient terminal : open) {
            terminal.close();
            terminal.awaitClose();
        }
    }

    @Test
    void signingOutOnOneNodeEndsTheWaitingInstancesCreatedOnAnother() throws Exception {
        ApiClient dave = cluster.node(0).client().signIn("dave", "dave-password");
        for (int i = 0; i < LIMIT; i++) {
            on(dave, 1).createExec("ph-busybox", "{}");
        }
        assertEquals(429, on(dave, 2).postExec(1, "ph-busybox", "{}").status(), "three wait, on node-1");
        assertEquals(204, on(dave, 0).post("api/auth/logout", null).status());
        ApiClient daveAgain = cluster.node(2).client().signIn("dave", "dave-password");
        // The sign-out reaches node-1 as a grid event, after node-0 answered it: the instances end there soon after.
        long deadline = System.nanoTime() + FEW_SECONDS.toNanos();
        ApiClient.Response created;
        while ((created = on(daveAgain, 0).postExec(1, "ph-busybox", "{}")).status() == 429) {
            assertTrue(System.nanoTime() < deadline, "the signed-out instances on node-1 still count: " + created.body());
            Engine.sleep(50);
        }
        assertEquals(200, created.status(), created.body());
        TerminalClient terminal = on(daveAgain, 1).attach(created.json().get("execId").asText(), "envId=1");
        terminal.type("echo again-$((40+2))\n").await("again-42", FEW_SECONDS);
        terminal.close();
        terminal.awaitClose();
    }
}
