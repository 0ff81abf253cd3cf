package dev.porthole.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.it.ApiClient;
import dev.porthole.it.Engine;
import dev.porthole.it.TerminalClient;
import dev.porthole.it.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine stops in the middle of a session and comes back. Ordered after every other test class (see
 * junit-platform.properties), because it stops the shared test engine and with it every test container.
 */
@ExtendWith(TestServer.class)
@Order(Integer.MAX_VALUE)
class EngineRestartIT {

    @Test
    void terminalsCloseWhenTheEngineGoesAwayAndNewOnesWorkOnceItIsBack(TestServer.Running server) throws Exception {
        ApiClient alice = server.signedIn("alice");
        TerminalClient terminal = alice.terminal("ph-busybox");
        terminal.type("echo before-$((2+5))\n");
        terminal.await("before-7");

        try {
            // An outage, not an orderly stop: an orderly stop kills the containers first, which a terminal
            // rightly reports as "container stopped".
            killEngine();
            TerminalClient.Closed closed = terminal.awaitClose(Duration.ofSeconds(30));
            assertEquals(1011, closed.code(), closed.reason());
            assertTrue(closed.reason().startsWith("the engine went away"), closed.reason());
            ApiClient.Response down = alice.post("api/containers/ph-busybox/exec?envId=1", "{}");
            assertEquals(502, down.status(), down.body());
            assertTrue(down.error().startsWith("environment 1 (test engine) is unreachable"), down.error());
        } finally {
            engine("up");
        }
        TerminalClient again = alice.terminal("ph-busybox");
        again.type("echo after-$((3+5))\n");
        again.await("after-8");
        again.close();
        assertEquals(1000, again.awaitClose().code());
        Engine.awaitGone("ph-busybox", "/bin/sh", Duration.ofSeconds(5));
    }

    private static void killEngine() throws IOException, InterruptedException {
        Path dir = Path.of(System.getenv().getOrDefault("PORTHOLE_ENGINE_DIR", "/tmp/porthole-engine"));
        String pid = Files.readString(dir.resolve("dockerd.pid")).trim();
        Process kill = new ProcessBuilder("kill", "-KILL", pid).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("cannot kill dockerd " + pid);
        }
    }

    private static void engine(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("scripts/engine.sh", command).inheritIO().start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("scripts/engine.sh " + command + " failed");
        }
    }
}
