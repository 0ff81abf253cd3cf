package dev.porthole.bench;

import dev.porthole.it.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the exec instances the engine creates in some containers, as its event stream tells them ({@code docker
 * events}, followed while a figure runs: the engine keeps only its last 256 events for a later look). An exec whose
 * command names {@code porthole-reaper} is one Porthole ran to end a terminal's processes; every other is a
 * terminal's own shell (or the benchmark's own look into the container).
 */
final class EngineEvents implements AutoCloseable {
    private final Process process;
    private final Thread reader;
    private final AtomicInteger reaping = new AtomicInteger();
    private final AtomicInteger other = new AtomicInteger();

    private EngineEvents(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "bench-engine-events");
        reader.setDaemon(true);
        reader.start();
    }

    static EngineEvents follow(List<String> containers) throws IOException {
        List<String> command = new ArrayList<>(List.of("docker", "events", "--filter", "type=container",
                "--filter", "event=exec_create", "--format", "{{json .}}"));
        for (String container : containers) {
            command.addAll(List.of("--filter", "container=" + container));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_HOST", TestServer.ENGINE);
        EngineEvents events = new EngineEvents(builder.start());
        events.awaitFollowing();
        return events;
    }

    /** The CLI subscribes a moment after it starts; an exec created before that would go uncounted. */
    private void awaitFollowing() throws IOException {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!process.isAlive()) {
            throw new IOException("docker events ended at once (exit " + process.exitValue() + ")");
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                (line.contains("porthole-reaper") ? reaping : other).incrementAndGet();
            }
        } catch (IOException ended) {
            // the process was stopped
        }
    }

    /** Reaping execs counted so far. */
    int reaping() {
        return reaping.get();
    }

    /** Other execs counted so far. */
    int other() {
        return other.get();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        reader.join(5000);
    }
}
