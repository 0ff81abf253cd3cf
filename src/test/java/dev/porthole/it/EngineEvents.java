package dev.porthole.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Counts the exec instances the engine creates in some containers, as its event stream tells them: {@code docker
 * events}, followed while a test or a figure runs, since the engine keeps only its last 256 events for a later look.
 * An exec whose command names {@code porthole-reaper} is one Porthole ran to end terminals' processes (a sweep);
 * every other is a terminal's own shell, or a look into the container from outside.
 */
public final class EngineEvents implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Process process;
    private final Thread reader;
    private final String container;
    private int sweeps;
    private int others;
    private final List<String> seen = new ArrayList<>();
    private int syncs;

    private EngineEvents(Process process, String container) {
        this.process = process;
        this.container = container;
        this.reader = new Thread(this::read, "engine-events");
        reader.setDaemon(true);
        reader.start();
    }

    /** Follows the exec creates in {@code containers}; answers once the engine is known to be sending them. */
    public static EngineEvents follow(List<String> containers) throws IOException {
        List<String> command = new ArrayList<>(List.of("docker", "events", "--filter", "type=container",
                "--filter", "event=exec_create", "--format", "{{json .}}"));
        for (String container : containers) {
            command.addAll(List.of("--filter", "container=" + container));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_HOST", TestServer.ENGINE);
        EngineEvents events = new EngineEvents(builder.start(), containers.get(0));
        events.sync();
        return events;
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (this) {
                    if (line.contains("porthole-reaper")) {
                        sweeps++;
                    } else if (line.contains("porthole-events-sync-")) {
                        seen.add(line);
                    } else {
                        others++;
                    }
                    notifyAll();
                }
            }
        } catch (IOException ended) {
            // the process was stopped
        }
    }

    /**
     * Creates an exec of its own in the first container and waits until its event arrived: the engine sends events in
     * order, so every exec created before this call has been counted when it returns. The exec is made again every
     * second while its event has not come: the CLI subscribes a moment after it started.
     */
    public void sync() {
        String marker;
        synchronized (this) {
            marker = "porthole-events-sync-" + ++syncs;
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            Engine.exec(container, "echo", marker);
            long again = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            synchronized (this) {
                while (seen.stream().noneMatch(line -> line.contains(marker + "\""))) {
                    long left = Math.min(again, deadline) - System.nanoTime();
                    if (System.nanoTime() >= deadline || !process.isAlive()) {
                        throw new AssertionError("docker events did not report " + marker + " within " + PATIENCE);
                    }
                    if (left <= 0) {
                        break;
                    }
                    try {
                        wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError(e);
                    }
                }
                if (seen.stream().anyMatch(line -> line.contains(marker + "\""))) {
                    return;
                }
            }
        }
    }

    /** Sweeps counted so far. */
    public synchronized int sweeps() {
        return sweeps;
    }

    /** Other execs counted so far (the syncs are not counted). */
    public synchronized int others() {
        return others;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        reader.join(5000);
    }
}
