package dev.porthole.it;

import dev.porthole.embedded.EmbeddedServer;
import dev.porthole.embedded.UsersFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One Porthole on embedded Tomcat for the whole test run, on a free port, with the built WAR and the real
 * engine of {@code DOCKER_HOST} (the private engine of {@code scripts/engine.sh} by default) as environments 1
 * and 3, and environment 2 whose engine never answers. Users: alice may open terminals, bob may not, admin may
 * do everything, carol may open terminals in environment 3 only, dave is there to be locked out, erin may open
 * terminals in environment 9, which no server has until a test adds it. The server believes X-Forwarded-* from
 * 127.0.0.1, so a test can pose as a client address of its own or as an HTTPS proxy.
 * Environments 4 and 5 are hawser-edge environments whose agents ({@code edge.HawserAgentSimulator}) dial in with
 * {@link #EDGE_TOKEN_4} and {@link #EDGE_TOKEN_5}; the server pings agents every second and drops one silent for 3 s.
 */
public final class TestServer implements ParameterResolver {
    public static final String ENGINE = System.getenv().getOrDefault("DOCKER_HOST",
            "unix:///tmp/porthole-engine/docker.sock");
    public static final long ATTACH_TIMEOUT_MILLIS = 3000;
    /** Environment 2's engine: a socket that does not exist. */
    public static final String DEAD_ENGINE = "unix:///tmp/porthole-it-no-engine.sock";
    /**
     * The wait after a failed sign-in. A test's attempt "too soon" must reach the server within it: with 300 ms, a
     * full test run (load average about 10) once took 434 ms from one failure to the next attempt, which then passed.
     */
    public static final long SIGN_IN_DELAY_MILLIS = 2000;
    /** Longer than the longest wait (4 delays), which SignInIT needs to tell them apart. */
    public static final long LOCKOUT_MILLIS = 10_000;
    public static final String EDGE_TOKEN_4 = "test-agent-token-of-environment-4-aaaaaaaaaa";
    public static final String EDGE_TOKEN_5 = "test-agent-token-of-environment-5-bbbbbbbbbb";
    public static final long EDGE_DEAD_AFTER_MILLIS = 3000;
    public static final long EDGE_HELLO_TIMEOUT_MILLIS = 1500;
    public static final int EDGE_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
    public static final int EDGE_MAX_REQUESTS_IN_FLIGHT = 8;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Running.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, key -> start(""), Running.class);
    }

    /** Another Porthole like the shared one, under {@code contextPath} (e.g. {@code /porthole}); the caller closes it. */
    public static Running start(String contextPath, String... extraConfig) {
        List<String> lines = new java.util.ArrayList<>(edgeEnvironments());
        lines.add("terminal.ping-interval=1s");
        lines.addAll(List.of(extraConfig));
        return startServerAt(contextPath, lines.toArray(String[]::new));
    }

    /**
     * The shared server's environments 4 and 5, whose agents dial in; only there, since the servers that tests
     * start for themselves number their own environments from 4.
     */
    private static List<String> edgeEnvironments() {
        return List.of(
                "environments.4.name=edge agent",
                "environments.4.type=hawser-edge",
                "environments.4.agent-token-sha256=" + sha256(EDGE_TOKEN_4),
                "environments.5.name=second edge agent",
                "environments.5.type=hawser-edge",
                "environments.5.agent-token-sha256=" + sha256(EDGE_TOKEN_5),
                "edge.ping-interval=1s",
                "edge.hello-timeout=" + EDGE_HELLO_TIMEOUT_MILLIS + "ms",
                "edge.dead-after=" + EDGE_DEAD_AFTER_MILLIS + "ms",
                "edge.max-message-bytes=" + EDGE_MAX_MESSAGE_BYTES,
                "edge.max-requests-in-flight=" + EDGE_MAX_REQUESTS_IN_FLIGHT,
                // Wrong tokens are tried on purpose; the throttle must not lock the tests' own agents out.
                "edge.failed-hellos-per-address=1000");
    }

    /** Starts one more Porthole with the test users, the test engines and {@code extraConfig} lines. */
    public static Running startServer(String... extraConfig) {
        return startServerAt("", extraConfig);
    }

    /** Like {@link #startServer(String...)}, with the configuration written to {@code config}, for tests that edit it. */
    public static Running startServer(Path config, String... extraConfig) {
        return startServerAt(config, "", "127.0.0.1", extraConfig);
    }

    /** Like {@link #startServer(String...)}, believing no proxy's {@code X-Forwarded-*}. */
    public static Running startTrustingNoProxy(String... extraConfig) {
        return startTrusting("", "", extraConfig);
    }

    /** Like {@link #startServer(String...)}, under {@code contextPath} (e.g. {@code /porthole}). */
    public static Running startServerAt(String contextPath, String... extraConfig) {
        return startTrusting(contextPath, "127.0.0.1", extraConfig);
    }

    private static Running startTrusting(String contextPath, String trustedProxies, String... extraConfig) {
        try {
            return startServerAt(Files.createTempDirectory("porthole-it").resolve("porthole.properties"), contextPath,
                    trustedProxies, extraConfig);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Like {@link #startServer(String...)}, warming up first for at most {@code warmUpTimeout}. The other servers
     * of the tests start without it: it takes seconds, and every test would wait for them.
     */
    public static Running startWarmingUp(java.time.Duration warmUpTimeout, String... extraConfig) {
        try {
            return startServerAt(Files.createTempDirectory("porthole-it").resolve("porthole.properties"), "",
                    "127.0.0.1", warmUpTimeout, extraConfig);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Running startServerAt(Path config, String contextPath, String trustedProxies,
            String... extraConfig) {
        return startServerAt(config, contextPath, trustedProxies, null, extraConfig);
    }

    private static Running startServerAt(Path config, String contextPath, String trustedProxies,
            java.time.Duration warmUpTimeout, String... extraConfig) {
        try {
            Path dir = config.toAbsolutePath().getParent();
            Path users = dir.resolve("users.xml");
            UsersFile.write(users, List.of(
                    new UsersFile.User("alice", "alice-password", List.of("porthole-exec")),
                    new UsersFile.User("bob", "bob-password", List.of()),
                    new UsersFile.User("admin", "admin-password", List.of("porthole-admin")),
                    new UsersFile.User("carol", "carol-password", List.of("porthole-exec-3", "porthole-view-1")),
                    new UsersFile.User("dave", "dave-password", List.of("porthole-exec")),
                    new UsersFile.User("erin", "erin-password", List.of("porthole-exec-9"))));
            List<String> lines = new java.util.ArrayList<>(List.of(
                    "environments.1.name=test engine",
                    "environments.1.url=" + ENGINE,
                    "environments.2.name=dead engine",
                    "environments.2.url=" + DEAD_ENGINE,
                    // The same engine again, so that a role can grant one environment and not the other.
                    "environments.3.name=same engine again",
                    "environments.3.url=" + ENGINE,
                    "exec.attach-timeout=" + ATTACH_TIMEOUT_MILLIS + "ms",
                    "audit.recordings=true",
                    // Short enough for a test to see the delay, the lockout and its end.
                    "security.sign-in.free-failures=2",
                    "security.sign-in.lockout-failures=4",
                    "security.sign-in.free-failures-per-address=10",
                    "security.sign-in.lockout-failures-per-address=15",
                    "security.sign-in.delay=" + SIGN_IN_DELAY_MILLIS + "ms",
                    "security.sign-in.lockout=" + LOCKOUT_MILLIS + "ms"));
            lines.addAll(List.of(extraConfig));
            Files.writeString(config, String.join("\n", lines) + "\n");
            EmbeddedServer.Options options = new EmbeddedServer.Options("127.0.0.1", 0, contextPath,
                    Path.of("target/porthole"), users, config, dir.resolve("tomcat"), trustedProxies, true);
            EmbeddedServer server = EmbeddedServer.start(warmUpTimeout == null ? options : options.withWarmUp(warmUpTimeout));
            return new Running(server, dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start Porthole for the tests", e);
        }
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code text}: what the configuration keeps of an agent token. */
    public static String sha256Hex(String text) {
        return sha256(text);
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The started server; closed by JUnit at the end of the run. */
    public static final class Running implements AutoCloseable {
        private final EmbeddedServer server;
        private final Path dir;

        Running(EmbeddedServer server, Path dir) {
            this.server = server;
            this.dir = dir;
        }

        /** The configuration file the server was started with. */
        public Path configFile() {
            return dir.resolve("porthole.properties");
        }

        /** The audit file: by default beside the configuration file. */
        public Path auditFile() {
            return dir.resolve("audit").resolve("audit.log");
        }

        public String baseUrl() {
            return server.baseUrl();
        }

        public ApiClient client() {
            return new ApiClient(baseUrl());
        }

        public ApiClient signedIn(String user) {
            return client().signIn(user, user + "-password");
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
