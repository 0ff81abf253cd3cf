package dev.porthole.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Looks into the test engine with the docker CLI, beside Porthole rather than through it. */
public final class Engine {
    private Engine() {
    }

    public static String exec(String container, String... command) {
        List<String> args = new ArrayList<>(List.of("exec", container));
        args.addAll(List.of(command));
        return docker(args.toArray(String[]::new));
    }

    /** Runs the docker CLI against the test engine and answers what it printed. */
    public static String docker(String... arguments) {
        List<String> args = new ArrayList<>(List.of("docker"));
        args.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("DOCKER_HOST", TestServer.ENGINE);
        try {
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("docker " + arguments[0] + " timed out");
            }
            return out;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("docker " + arguments[0] + " failed: " + e, e);
        }
    }

    /** The command lines of the processes running in {@code container}. */
    public static String processes(String container) {
        return exec(container, "ps", "-o", "pid,args");
    }

    /** Waits until no process of {@code container} has {@code marker} in its command line. */
    public static void awaitGone(String container, String marker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String ps;
        do {
            ps = processes(container);
            if (!ps.contains(marker)) {
                return;
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("'" + marker + "' still runs in " + container + " after " + timeout + ":\n" + ps);
    }

    public static void awaitRunning(String container, String marker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String ps;
        do {
            ps = processes(container);
            if (ps.contains(marker)) {
                return;
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("'" + marker + "' never ran in " + container + ":\n" + ps);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
