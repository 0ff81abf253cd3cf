package dev.porthole.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 9's soak: rounds of hundreds of interactive terminals, each typing a key a second, all closed and opened
 * again between rounds, for several minutes; then the forked server's threads, descriptors and heap after a full
 * GC must be back near where they started, and no process of those terminals may remain in the containers.
 * Exits 1 when a check fails. Run it with {@code scripts/bench.sh soak}.
 */
public final class Soak {
    private static final Duration PROMPT = Duration.ofSeconds(30);
    /**
     * Porthole's idle pool threads go after 5 s, but Tomcat's request threads, grown under the load, stay for their
     * idle time of 60 s: the end is read after {@link #SETTLE}, and a few may still be leaving.
     */
    private static final long THREAD_MARGIN = 8;
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final long HEAP_MARGIN_KIB = 32 * 1024;
    private static final long FD_MARGIN = 16;

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = Integer.getInteger("soak.sessions", 300);
        int rounds = Integer.getInteger("soak.rounds", 4);
        int roundSeconds = Integer.getInteger("soak.round-seconds", 60);
        String engine = System.getenv().getOrDefault("DOCKER_HOST", "unix:///tmp/porthole-engine/docker.sock");
        Path dir = Path.of("target", "bench", "soak-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        System.out.printf("Porthole soak: %d rounds of %d terminals typing for %d s, on %s%n", rounds, sessions,
                roundSeconds, Machine.describe());
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        try (BenchContainers containers = BenchContainers.start(2);
                ForkedServer server = ForkedServer.start(engine, dir.toAbsolutePath(), ServerJava.list(System.getProperty("bench.server-java")).get(0),
                        List.of("-Xmx2g"))) {
            PortholeClient porthole = new PortholeClient(server.baseUrl()).signIn(ForkedServer.USER, ForkedServer.PASSWORD);
            ServerProbe probe = server.probe();
            int processesBefore = containers.liveProcesses();
            ServerProbe.Snapshot base = probe.snapshot();
            long fdsBefore = probe.openFiles();
            ServerProbe.Snapshot after = base;
            for (int round = 1; round <= rounds; round++) {
                ManySessionsFigure.Result result = ManySessionsFigure.measure(c -> porthole.openShell(c, PROMPT),
                        containers, sessions, 0, roundSeconds, probe, null);
                after = result.after();
                System.out.printf("round %d: opened in %.1f s, echo p50 %.2f ms p99 %.2f ms, %d late; peak %d threads, "
                        + "%d MiB heap, %d MiB RSS%n", round, result.openSeconds(), result.echo().percentileMillis(50),
                        result.echo().percentileMillis(99), result.late(), result.peak().threads(),
                        result.peak().heapKiB() >> 10, result.peak().rssKiB() >> 10);
            }
            int processesAfter = containers.awaitProcesses(processesBefore, Duration.ofSeconds(120));
            after = settle(probe, base.threads() + THREAD_MARGIN);
            long fdsAfter = probe.openFiles();
            System.out.println("threads at the end, by pool: " + probe.threadsByPool());
            System.out.printf("start: %d threads, %d fds, %d KiB heap, %d KiB RSS, %d live processes%n", base.threads(),
                    fdsBefore, base.heapKiB(), base.rssKiB(), processesBefore);
            System.out.printf("end:   %d threads, %d fds, %d KiB heap, %d KiB RSS, %d live processes%n", after.threads(),
                    fdsAfter, after.heapKiB(), after.rssKiB(), processesAfter);
            check(failures, "threads", after.threads(), base.threads() + THREAD_MARGIN);
            check(failures, "open files", fdsAfter, fdsBefore + FD_MARGIN);
            check(failures, "heap after full GC (KiB)", after.heapKiB(), base.heapKiB() + HEAP_MARGIN_KIB);
            check(failures, "live processes in the containers", processesAfter, processesBefore);
        }
        System.out.printf("soak took %.1f min; server files in %s%n", (System.nanoTime() - started) / 60e9, dir);
        if (!failures.isEmpty()) {
            failures.forEach(f -> System.out.println("FAILED: " + f));
            System.exit(1);
        }
        System.out.println("PASSED: threads, open files, heap and processes are back where they started");
    }

    private static ServerProbe.Snapshot settle(ServerProbe probe, long threads) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (probe.status("Threads") > threads && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }
        return probe.snapshot();
    }

    private static void check(List<String> failures, String what, long value, long bound) {
        if (value > bound) {
            failures.add(what + " " + value + " > " + bound);
        }
    }
}
