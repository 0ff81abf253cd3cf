package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Faults and shutdown: the client always learns why, and no process or thread is left behind. */
@ExtendWith(TestServer.class)
class ReliabilityIT {
    /** "Within a few seconds", with room for a loaded machine. */
    private static final Duration FEW_SECONDS = Duration.ofSeconds(10);

    @Test
    void aClientThatStopsAnsweringPingsIsClosedAndItsProcessEnded(TestServer.Running server) throws Exception {
        // The shared test server pings every second and gives up after 2 unanswered pings.
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        try (RawSocket silent = new RawSocket(server.baseUrl(),
                "api/containers/exec/" + execId + "/attach?envId=1", alice.sessionCookie())) {
            silent.sendText("sleep 5001\n");
            Engine.awaitRunning("ph-busybox", "sleep 5001", FEW_SECONDS);
            long started = System.nanoTime();
            assertEquals("1001 client stopped answering pings", silent.awaitClose());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 6);
            Engine.awaitGone("ph-busybox", "sleep 5001", FEW_SECONDS);
        }
    }

    @Test
    void aClientThatAnswersPingsStaysOpenWhileIdle(TestServer.Running server) throws Exception {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox");
        Thread.sleep(4000);
        terminal.type("echo alive-$((4+4))\n");
        terminal.await("alive-8");
        terminal.close();
    }

    @Test
    void aKilledContainerClosesItsTerminalsWithTheReasonAndExitCode(TestServer.Running server) {
        String name = "ph-victim-" + System.nanoTime();
        Engine.docker("run", "-d", "--network", "none", "--name", name, "porthole/busybox:test", "sleep", "100000");
        try {
            TerminalClient terminal = server.signedIn("alice").terminal(name);
            terminal.type("echo up-$((3+3))\n");
            terminal.await("up-6");
            Engine.docker("kill", name);
            TerminalClient.Closed closed = terminal.awaitClose();
            assertEquals(1000, closed.code());
            assertTrue(closed.reason().matches("exit (-?\\d+|unknown): container stopped"), closed.reason());
        } finally {
            Engine.docker("rm", "-f", name);
        }
    }

    @Test
    void stoppingTheServerClosesEveryTerminalWith1001AndLeavesNothingRunning() throws Exception {
        long before = threads("porthole-") + threads("docker-java-httpclient5-hijacking-stream");
        TestServer.Running second = TestServer.startServer();
        ApiClient alice = second.signedIn("alice");
        List<TerminalClient> terminals = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TerminalClient terminal = alice.terminal("ph-busybox");
            terminal.type("sleep 501" + i + "\n");
            terminals.add(terminal);
        }
        for (int i = 0; i < 3; i++) {
            Engine.awaitRunning("ph-busybox", "sleep 501" + i, FEW_SECONDS);
        }
        second.close();
        for (TerminalClient terminal : terminals) {
            TerminalClient.Closed closed = terminal.awaitClose(FEW_SECONDS);
            assertEquals(1001, closed.code());
            assertEquals("server is shutting down", closed.reason());
        }
        for (int i = 0; i < 3; i++) {
            Engine.awaitGone("ph-busybox", "sleep 501" + i, FEW_SECONDS);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long after;
        while ((after = threads("porthole-") + threads("docker-java-httpclient5-hijacking-stream")) > before
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(after <= before, "threads before " + before + ", after stopping the second server " + after);
    }

    private static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }
}
