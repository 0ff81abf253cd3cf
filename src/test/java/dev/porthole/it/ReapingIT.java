package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What ending a terminal costs the engine, counted from its events, and that it still ends everything: one short exec
 * (a sweep) per ended terminal, a second as root only for what the terminal started as another user, none when its
 * container stopped. The server here allows one closing terminal at a time ({@code limits.closing=1}), so that an exec
 * create answers only once the previous terminal's sweeps are all done: the count is then complete, however slow
 * the machine. The container is the test's own, with a set-uid {@code su} and a root without password, so that a
 * www-data terminal can start processes as root as people do with su or sudo.
 */
class ReapingIT {
    private static final Duration FEW_SECONDS = Duration.ofSeconds(10);
    private static final String CONTAINER = "ph-reaping-" + System.nanoTime();
    private static final String STOPPING = "ph-reaping-stopped-" + System.nanoTime();
    private static final String SU = "/opt/suid/su";

    private static TestServer.Running server;
    private static EngineEvents events;

    @BeforeAll
    static void start() throws Exception {
        for (String name : List.of(CONTAINER, STOPPING)) {
            Engine.docker("run", "-d", "--network", "none", "--name", name, "porthole/busybox:test", "sleep", "100000");
        }
        Engine.exec(CONTAINER, "sh", "-c", "sed -i 's/^root:x:/root::/' /etc/passwd && mkdir -p /opt/suid"
                + " && cp /bin/busybox /opt/suid/busybox && chmod 4755 /opt/suid/busybox && ln -s busybox " + SU);
        server = TestServer.startServer("limits.closing=1");
        events = EngineEvents.follow(List.of(CONTAINER, STOPPING));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            events.close();
            server.close();
        } finally {
            Engine.docker("rm", "-f", CONTAINER, STOPPING);
        }
    }

    @Test
    void aRootTerminalCostsOneSweep() {
        TerminalClient terminal = open("{}");
        terminal.type("sleep 1101 & sleep 1102\n");
        assertEquals(1, sweepsOfClosing(terminal, "sleep 1101", "sleep 1102"));
    }

    @Test
    void aNonRootTerminalCostsOneSweepWhenItStartedNothingAsAnotherUser() {
        TerminalClient terminal = open("{\"user\":\"www-data\"}");
        terminal.type("sleep 1103 & env -i sleep 1104\n");
        assertEquals(1, sweepsOfClosing(terminal, "sleep 1103", "sleep 1104"));
    }

    /**
     * With su, the tagged processes are root's, and so are one that left the session (setsid) and one whose environment
     * su -l cleared: the www-data sweep can neither read nor signal them, and hands their session to root.
     */
    @Test
    void whatATerminalStartedAsAnotherUserIsEndedByASecondSweepAsRoot() {
        TerminalClient terminal = open("{\"user\":\"www-data\"}");
        terminal.type(SU + " -s /bin/sh -c 'sleep 1105 & setsid sleep 1106 & sleep 1107' root &\n");
        terminal.type(SU + " -l -s /bin/sh -c 'sleep 1108' root &\n");
        terminal.type("sleep 1109\n");
        assertEquals(2, sweepsOfClosing(terminal, "sleep 1105", "sleep 1106", "sleep 1107", "sleep 1108", "sleep 1109"));
    }

    @Test
    void backgroundJobsOutliveTheirShellsExitAndAreEndedByOneSweep() {
        TerminalClient terminal = open("{\"user\":\"www-data\"}");
        terminal.type("sleep 1110 &\n");
        Engine.awaitRunning(CONTAINER, "sleep 1110", FEW_SECONDS);
        int before = sweeps();
        terminal.type("exit 0\n");
        assertEquals("exit 0", terminal.awaitClose().reason());
        Engine.awaitGone(CONTAINER, "sleep 1110", FEW_SECONDS);
        awaitSwept();
        assertEquals(1, sweeps() - before);
    }

    @Test
    void aTerminalWhoseContainerStoppedCostsNoSweep() {
        ApiClient alice = server.signedIn("alice");
        TerminalClient terminal = alice.attach(alice.createExec(STOPPING, "{}"), "envId=1");
        terminal.type("echo up-$((2+5))\n");
        terminal.await("up-7");
        int before = sweeps();
        Engine.docker("kill", STOPPING);
        assertTrue(terminal.awaitClose().reason().endsWith(": container stopped"));
        awaitSwept();
        assertEquals(0, sweeps() - before);
    }

    /** A terminal in the test's container, once its prompt arrived: {@code # } for root, {@code $ } for another user. */
    private static TerminalClient open(String body) {
        ApiClient alice = server.signedIn("alice");
        TerminalClient terminal = alice.attach(alice.createExec(CONTAINER, body), "envId=1");
        terminal.await(body.contains("user") ? "$ " : "# ", FEW_SECONDS);
        return terminal;
    }

    /** Closes {@code terminal} once every marker runs; answers the sweeps it cost, once none of them runs. */
    private static int sweepsOfClosing(TerminalClient terminal, String... markers) {
        for (String marker : markers) {
            Engine.awaitRunning(CONTAINER, marker, FEW_SECONDS);
        }
        int before = sweeps();
        terminal.close();
        for (String marker : markers) {
            Engine.awaitGone(CONTAINER, marker, FEW_SECONDS);
        }
        awaitSwept();
        return sweeps() - before;
    }

    private static int sweeps() {
        events.sync();
        return events.sweeps();
    }

    /**
     * With one closing terminal allowed, a create answers once the last one's sweeps are over; one refused meanwhile
     * says when to try again. The exec instance is never attached, so it starts no process.
     */
    private static void awaitSwept() {
        ApiClient alice = server.signedIn("alice");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            ApiClient.Response r = alice.post("api/containers/" + CONTAINER + "/exec?envId=1", "{}");
            if (r.status() == 200) {
                return;
            }
            assertEquals(429, r.status(), r.body());
            assertTrue(System.nanoTime() < deadline, "closing terminals still not ended: " + r.body());
            Engine.sleep(1000L * Long.parseLong(r.header("Retry-After").orElseThrow()));
        }
    }
}
