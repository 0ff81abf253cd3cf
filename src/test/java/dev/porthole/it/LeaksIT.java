package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions leave nothing behind: no stdin pump thread, no file descriptor, no process in the container. The
 * server runs in this JVM, so its threads and descriptors are this process's.
 */
@ExtendWith(TestServer.class)
class LeaksIT {
    private static final String PUMP_THREAD = "docker-java-httpclient5-hijacking-stream";
    private static final int SESSIONS = 40;
    /** The HTTP clients of the tests themselves keep a few pooled connections of their own. */
    private static final int FD_MARGIN = 10;

    @Test
    void manySessionsClosedCleanlyOrAbruptlyLeaveNothingBehind(TestServer.Running server) throws Exception {
        ApiClient alice = server.signedIn("alice");
        alice.terminal("ph-busybox").close(); // warm up pools and class loading before the baseline
        awaitQuiet(Duration.ofSeconds(10), 0, Integer.MAX_VALUE);
        int baseThreads = pumpThreads();
        long baseFds = openFds();

        List<TerminalClient> terminals = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            TerminalClient terminal = alice.terminal(i % 2 == 0 ? "ph-busybox" : "ph-bash");
            terminal.type("echo ready-" + (i * 2) / 2 + "-$((1+1)); sleep 30" + String.format("%02d", i) + "\n");
            terminals.add(terminal);
        }
        for (int i = 0; i < SESSIONS; i++) {
            terminals.get(i).await("ready-" + i + "-2");
        }
        Engine.awaitRunning("ph-busybox", "sleep 3038", Duration.ofSeconds(10));
        for (int i = 0; i < SESSIONS; i++) {
            if (i % 3 == 0) {
                terminals.get(i).abort();
            } else {
                terminals.get(i).close();
            }
        }
        for (String container : List.of("ph-busybox", "ph-bash")) {
            for (int i = 0; i < SESSIONS; i++) {
                Engine.awaitGone(container, "sleep 30" + String.format("%02d", i), Duration.ofSeconds(20));
            }
        }
        awaitQuiet(Duration.ofSeconds(20), baseThreads, baseFds + FD_MARGIN);
    }

    private static void awaitQuiet(Duration timeout, int threads, long fds) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pumpThreads() > threads || openFds() > fds) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + pumpThreads() + " stdin pump threads (want " + threads + ") and "
                        + openFds() + " file descriptors (want at most " + fds + ")");
            }
            Thread.sleep(100);
        }
        assertTrue(pumpThreads() <= threads);
    }

    private static int pumpThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(PUMP_THREAD)).count();
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
