package dev.porthole.bench;

import dev.porthole.embedded.EmbeddedServer;
import dev.porthole.embedded.UsersFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Porthole in a JVM of its own, started with its one-command launcher and the built WAR. A separate process is the
 * honest way to read a server's threads, heap and resident memory: in the benchmark's JVM they would be mixed
 * with the clients' threads and buffers. The limits are raised for one user's thousand terminals.
 */
final class ForkedServer implements AutoCloseable {
    static final String USER = "bench";
    static final String PASSWORD = "bench-password";

    private final Process process;
    private final String baseUrl;
    private final Path dir;

    private ForkedServer(Process process, String baseUrl, Path dir) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.dir = dir;
    }

    static ForkedServer start(String dockerHost, Path dir, ServerJava java, List<String> jvmOptions) throws Exception {
        return start(dockerHost, dir, java, jvmOptions, List.of());
    }

    /** With {@code extraConfig} lines added to its configuration file (e.g. {@code terminal.compression=true}). */
    static ForkedServer start(String dockerHost, Path dir, ServerJava java, List<String> jvmOptions,
            List<String> extraConfig) throws Exception {
        Files.createDirectories(dir);
        Path users = dir.resolve("users.xml");
        UsersFile.write(users, List.of(new UsersFile.User(USER, PASSWORD, List.of("porthole-exec"))));
        int port = freePort();
        Path config = dir.resolve("porthole.properties");
        List<String> lines = new ArrayList<>(List.of(
                "server.address=127.0.0.1",
                "server.port=" + port,
                "server.webapp=target/porthole",
                // Where deploy/nginx.conf expects it, for the proxy figure; the other figures follow the path.
                "server.context-path=/porthole",
                "server.trusted-proxies=127.0.0.1",
                "server.work-dir=" + dir.resolve("tomcat").toAbsolutePath(),
                "auth.users-file=" + users.toAbsolutePath(),
                "environments.1.name=bench engine",
                "environments.1.url=" + dockerHost,
                // One person's thousand terminals, plus the unattached exec instances of the exec-create figure.
                "limits.sessions-per-user=5000",
                "limits.sessions-total=100000",
                "limits.pending-per-user=50000"));
        lines.addAll(extraConfig);
        Files.write(config, lines);
        List<String> command = new ArrayList<>(List.of(java.executable().toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EmbeddedServer.class.getName(),
                config.toAbsolutePath().toString()));
        Path log = dir.resolve("server.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ForkedServer server = new ForkedServer(process, "http://127.0.0.1:" + port + "/porthole/", dir);
        server.awaitStarted(log);
        return server;
    }

    private void awaitStarted(Path log) throws Exception {
        // 60 s was passed by a start at load 18 on 2 cores (other builds beside it); a quiet start takes some 5 s.
        if (!awaitLogged(log, lines -> lines.stream().anyMatch(line -> line.contains("Porthole is running at")), 180)) {
            process.destroyForcibly();
            throw new IOException("Porthole did not start; see " + log);
        }
    }

    /** Reads the log until {@code done} holds (true), the process ends or {@code seconds} pass (false). */
    private boolean awaitLogged(Path log, Predicate<List<String>> done, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.test(Files.readAllLines(log))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /**
     * Waits until this cluster node has warmed up its grid operations (GridWarmUp logs when it begins and ends, once
     * the node has another member): measured while it runs, a figure would be the warm-up's.
     */
    void awaitGridWarmedUp() throws Exception {
        Path log = dir.resolve("server.log");
        Predicate<List<String>> warm = lines -> lines.stream().anyMatch(line -> line.contains("warming up the grid's"))
                && lines.stream().anyMatch(line -> line.contains("warmed up the grid's operations")
                        || line.contains("the grid's warm-up stopped"));
        if (!awaitLogged(log, warm, 300)) {
            throw new IOException("the node ended or did not warm up its grid operations in 300 s; see " + log);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String baseUrl() {
        return baseUrl;
    }

    long pid() {
        return process.pid();
    }

    Path dir() {
        return dir;
    }

    ServerProbe probe() {
        return new ServerProbe(process.pid(), dir);
    }

    /** SIGTERM: the launcher's shutdown hook stops Tomcat, which closes every terminal with 1001. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
