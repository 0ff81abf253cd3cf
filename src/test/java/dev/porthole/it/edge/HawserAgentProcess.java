package dev.porthole.it.edge;

import dev.porthole.it.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Hawser agent (the binary operators run, Finsys/hawser v0.2.14) as a process of the test, started as an
 * operator starts it: environment variables only, the engine's unix socket in {@code DOCKER_SOCKET} (it ignores
 * {@code DOCKER_HOST}, which is removed so that nothing is confused), and a free port of its own for its health
 * server. Every process is ended by {@link #close}, and by a shutdown hook should the test JVM end first.
 */
public final class HawserAgentProcess implements AutoCloseable {
    /** Where the binary is looked for, in this order; {@code PORTHOLE_HAWSER_BIN} first. */
    static List<Path> candidates() {
        List<Path> paths = new ArrayList<>();
        String named = System.getenv("PORTHOLE_HAWSER_BIN");
        if (named != null && !named.isBlank()) {
            paths.add(Path.of(named));
        }
        paths.add(Path.of(System.getProperty("user.dir")).resolve("../shared/hawser/hawser").normalize());
        paths.add(Path.of("/work/shared/hawser/hawser"));
        return paths;
    }

    /** The agent binary; fails the test (never skips it) when there is none. */
    static Path binary() {
        for (Path path : candidates()) {
            if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                return path;
            }
        }
        throw new AssertionError("the real Hawser agent is needed and was not found: set PORTHOLE_HAWSER_BIN to the "
                + "hawser binary (Finsys/hawser v0.2.14, linux amd64); looked at " + candidates());
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread hook;

    private HawserAgentProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.hook = new Thread(process::destroyForcibly, "hawser-agent-" + name + "-killer");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts an agent that dials {@code baseUrl}'s agent socket with {@code token}. */
    public static HawserAgentProcess start(String baseUrl, String token, String name) {
        String engine = TestServer.ENGINE;
        if (!engine.startsWith("unix://")) {
            throw new AssertionError("the real agent reaches the engine by its unix socket; the test engine is " + engine);
        }
        try {
            Path log = Files.createTempFile(Path.of("target"), "hawser-" + name + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(binary().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.remove("DOCKER_HOST");
            env.put("DOCKHAND_SERVER_URL", baseUrl.replaceFirst("^http", "ws") + "api/hawser/connect");
            env.put("TOKEN", token);
            env.put("DOCKER_SOCKET", engine.substring("unix://".length()));
            env.put("PORT", Integer.toString(freePort()));
            env.put("AGENT_NAME", name);
            env.put("LOG_LEVEL", System.getenv().getOrDefault("PORTHOLE_HAWSER_LOG_LEVEL", "info"));
            return new HawserAgentProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new AssertionError("cannot start the Hawser agent " + binary() + ": " + e, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the agent gets no chance to say anything, as when its host dies. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: what {@code docker stop} sends. */
    void terminate() {
        process.destroy();
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** What the agent printed so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, and the process is gone already
        }
    }

    /**
     * The end of a test with real agents: closes the {@code terminals} a failed test left open while an agent may still
     * end their processes (so that the next test's check for leftovers is about that test), waits for none left, then
     * stops the {@code agents}, runs {@code removeEnvironment}, and checks that no agent still runs.
     */
    static void endTest(List<dev.porthole.it.TerminalClient> terminals, List<HawserAgentProcess> agents,
            Runnable removeEnvironment, java.time.Duration patience) {
        try {
            for (dev.porthole.it.TerminalClient terminal : terminals) {
                try {
                    terminal.close();
                } catch (RuntimeException gone) {
                    // its socket broke: the server ends it all the same
                }
            }
            EdgeShells.awaitNone(patience);
        } finally {
            agents.forEach(HawserAgentProcess::close);
            removeEnvironment.run();
        }
        agents.forEach(agent -> org.junit.jupiter.api.Assertions.assertFalse(agent.isAlive(),
                "agent " + agent.name() + " still runs"));
    }
}
