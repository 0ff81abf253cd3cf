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
 * engine of {@code DOCKER_HOST} (the private engine of {@code scripts/engine.sh} by default). Users: alice may
 * open terminals, bob may not, admin may do everything.
 */
public final class TestServer implements ParameterResolver {
    public static final String ENGINE = System.getenv().getOrDefault("DOCKER_HOST",
            "unix:///tmp/porthole-engine/docker.sock");
    public static final long ATTACH_TIMEOUT_MILLIS = 3000;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Running.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, key -> start(), Running.class);
    }

    private static Running start() {
        return new Running(startServer("terminal.ping-interval=1s"));
    }

    /** Starts one more Porthole with the test users, the test engine and {@code extraConfig} lines. */
    public static EmbeddedServer startServer(String... extraConfig) {
        return startBehindProxies("", extraConfig);
    }

    /** As {@link #startServer(String...)}, behind proxies at the addresses that {@code trustedProxies} matches. */
    public static EmbeddedServer startBehindProxies(String trustedProxies, String... extraConfig) {
        try {
            Path dir = Files.createTempDirectory("porthole-it");
            Path users = dir.resolve("users.xml");
            UsersFile.write(users, List.of(
                    new UsersFile.User("alice", "alice-password", List.of("porthole-exec")),
                    new UsersFile.User("bob", "bob-password", List.of()),
                    new UsersFile.User("admin", "admin-password", List.of("porthole-admin"))));
            Path config = dir.resolve("porthole.properties");
            List<String> lines = new java.util.ArrayList<>(List.of(
                    "environments.1.name=test engine",
                    "environments.1.url=" + ENGINE,
                    "exec.attach-timeout=" + ATTACH_TIMEOUT_MILLIS + "ms"));
            lines.addAll(List.of(extraConfig));
            Files.writeString(config, String.join("\n", lines) + "\n");
            return EmbeddedServer.start(new EmbeddedServer.Options("127.0.0.1", 0, "",
                    Path.of("target/porthole"), users, config, dir.resolve("tomcat"), trustedProxies));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start Porthole for the tests", e);
        }
    }

    /** The started server; closed by JUnit at the end of the run. */
    public static final class Running implements AutoCloseable {
        private final EmbeddedServer server;

        public Running(EmbeddedServer server) {
            this.server = server;
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
