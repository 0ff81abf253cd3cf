package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thousands of create, attach, type, close cycles, a third of them dropped without a close frame, leave
 * nothing behind: threads, file descriptors and heap return to where they started, and no process of those
 * sessions remains in their container. The server runs in this JVM, so its resources are this process's.
 */
@ExtendWith(TestServer.class)
class ChurnIT {
    private static final int CYCLES = Integer.getInteger("churn.cycles", 2000);
    private static final int PARALLEL = 8;
    /** Idle pooled threads may outlive the run (cached pools keep them 60 s), one per parallel client at most. */
    private static final int THREAD_MARGIN = 2 * PARALLEL + 4;
    /** The test's own HTTP clients keep some pooled connections. */
    private static final int FD_MARGIN = 2 * PARALLEL + 8;
    private static final long HEAP_MARGIN = 32L << 20;

    @Test
    void thousandsOfSessionsLeaveNothingBehind(TestServer.Running server) throws Exception {
        String container = "ph-churn-" + System.nanoTime();
        Engine.docker("run", "-d", "--network", "none", "--name", container, "porthole/busybox:test", "sleep", "100000");
        try {
            ApiClient alice = server.signedIn("alice");
            cycle(alice, container, -1, false); // warm up before the baseline
            Thread.sleep(1000);
            int threads = Thread.activeCount();
            long fds = openFds();
            long heap = heapAfterGc();
            int processes = liveProcesses(container);

            long started = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(PARALLEL);
            List<Future<?>> cycles = new ArrayList<>();
            for (int i = 0; i < CYCLES; i++) {
                int n = i;
                cycles.add(clients.submit(() -> cycle(alice, container, n, n % 3 == 0)));
            }
            for (Future<?> cycle : cycles) {
                cycle.get();
            }
            clients.shutdown();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("churn: %d cycles in %.1f s (%.0f per second)%n", CYCLES, seconds, CYCLES / seconds);

            try {
                awaitAtMost("live processes in " + container, processes, () -> liveProcesses(container), Duration.ofSeconds(120));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + Engine.exec(container, "ps", "-o", "pid,ppid,user,stat,args"), e);
            }
            awaitAtMost("threads " + threadNames(), threads + THREAD_MARGIN, Thread::activeCount, Duration.ofSeconds(30));
            awaitAtMost("file descriptors", fds + FD_MARGIN, ChurnIT::openFds, Duration.ofSeconds(30));
            long heapAfter = heapAfterGc();
            System.out.printf("churn: threads %d -> %d, fds %d -> %d, heap after GC %d KiB -> %d KiB%n",
                    threads, Thread.activeCount(), fds, openFds(), heap >> 10, heapAfter >> 10);
            assertTrue(heapAfter <= heap + HEAP_MARGIN, "heap after GC grew from " + heap + " to " + heapAfter);
        } finally {
            Engine.docker("rm", "-f", container);
        }
    }

    private static void cycle(ApiClient client, String container, int n, boolean abrupt) {
        TerminalClient terminal = client.terminal(container);
        terminal.type("echo c" + n + "-$((1+1))\n");
        terminal.await("c" + n + "-2");
        if (abrupt) {
            terminal.abort();
        } else {
            terminal.close();
            assertEquals(1000, terminal.awaitClose().code());
        }
    }

    private static java.util.Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().collect(java.util.stream.Collectors.groupingBy(
                t -> t.getName().replaceAll("[-0-9]+$", ""), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private interface Reading {
        long read() throws Exception;
    }

    private static void awaitAtMost(String what, long bound, Reading reading, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long value;
        while ((value = reading.read()) > bound) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": " + value + ", more than " + bound + " after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** Processes that are not zombies: the container's init is a plain sleep, which reaps no one. */
    private static int liveProcesses(String container) {
        String count = Engine.exec(container, "sh", "-c", "grep -L '^State:[[:space:]]*Z' /proc/[0-9]*/status 2>/dev/null | wc -l");
        return Integer.parseInt(count.trim());
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
