package dev.porthole.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second Payara Micro beside the one Arquillian starts, run the way README.md's "Payara" says ({@code java -jar
 * payara-micro.jar --deploy porthole.war ...}), with the test instance's preboot file and realm and a configuration
 * file of its own: the first one's with this node's grid port and name. Payara's own clustering stays off
 * ({@code --nocluster}, as Arquillian's instance has it): the nodes find each other through Porthole's grid only.
 */
final class SecondPayaraMicro implements AutoCloseable {
    /**
     * Payara Micro's start with the WAR, on this 2-core machine shared with other test runs: 40-70 s measured while
     * another Payara Micro ran beside it; the Arquillian adapter is given 180 s for the same.
     */
    private static final Duration START_PATIENCE = Duration.ofSeconds(180);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final long startedAt = System.nanoTime();

    private SecondPayaraMicro(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** Starts it on {@code httpPort} as the grid's member {@code nodeName} at {@code gridPort}; answers at once. */
    static SecondPayaraMicro start(Path payaraJar, Path testFiles, Path war, Path dir, int httpPort, int gridPort,
                                   String nodeName) throws IOException {
        deleteTree(dir); // a root directory left by an earlier run holds that run's deployment and state
        Files.createDirectories(dir);
        List<String> config = new ArrayList<>();
        for (String line : Files.readAllLines(testFiles.resolve("porthole.properties"))) {
            if (line.startsWith("cluster.port=")) {
                line = "cluster.port=" + gridPort;
            } else if (line.startsWith("cluster.node-name=")) {
                line = "cluster.node-name=" + nodeName;
            }
            config.add(line);
        }
        Path configFile = Files.write(dir.resolve("porthole.properties"), config);
        Path systemProperties = Files.writeString(dir.resolve("system.properties"), "porthole.config=" + configFile + "\n");
        Path log = dir.resolve("payara-micro.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", payaraJar.toString(),
                "--deploy", war.toAbsolutePath().toString(), "--contextroot", "porthole",
                "--port", String.valueOf(httpPort), "--nocluster",
                "--rootdir", dir.resolve("root").toAbsolutePath().toString(),
                "--prebootcommandfile", testFiles.resolve("preboot.asadmin").toString(),
                "--systemProperties", systemProperties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new SecondPayaraMicro(process, log, httpPort);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort + "/porthole/";
    }

    /** Waits until Porthole answers its health check; answers how long the start took since {@link #start}. */
    Duration awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + START_PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Payara Micro ended with " + process.exitValue() + " before Porthole answered:\n" + logTail());
            }
            if (health() == 200) {
                return Duration.ofNanos(System.nanoTime() - startedAt);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Porthole on the second Payara Micro did not answer in " + START_PATIENCE.toSeconds()
                + " s:\n" + logTail());
    }

    private int health() throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "api/health")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The last lines Payara Micro wrote, for the message of a failure. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops it as a service manager does (SIGTERM: Payara undeploys the WAR, which leaves the grid); then kills. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new AssertionError("Payara Micro did not end " + STOP_PATIENCE.toSeconds() + " s after SIGTERM:\n" + logTail());
        }
    }
}
