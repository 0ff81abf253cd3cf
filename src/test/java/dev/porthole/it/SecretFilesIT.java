package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.embedded.EmbeddedServer;
import dev.porthole.embedded.UsersFile;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Files that hold secrets or their hashes (the users file of the embedded start, the API tokens, a configuration
 * file with agent token hashes) are readable by their owner only: Porthole writes them mode 600, and narrows one that
 * it finds wider at start, saying so in its log.
 */
class SecretFilesIT {

    @Test
    void widerFilesAreNarrowedAtStartWithAWarning() throws Exception {
        Path dir = Files.createTempDirectory("porthole-secret-files");
        Path users = dir.resolve("users.xml");
        UsersFile.write(users, List.of(new UsersFile.User("alice", "alice-password", List.of("porthole-exec"))));
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, "[]");
        Path config = dir.resolve("porthole.properties");
        Files.writeString(config, String.join("\n",
                "environments.1.url=" + TestServer.ENGINE,
                "environments.4.type=hawser-edge",
                "environments.4.agent-token-sha256=" + TestServer.sha256Hex("a token")) + "\n");
        for (Path file : List.of(users, tokens, config)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try (LogCapture log = new LogCapture();
                EmbeddedServer server = EmbeddedServer.start(new EmbeddedServer.Options("127.0.0.1", 0, "",
                        Path.of("target/porthole"), users, config, dir.resolve("tomcat"), "", true))) {
            for (Path file : List.of(users, tokens, config)) {
                assertEquals("rw-------", mode(file), file.toString());
                log.await(line -> line.contains(file.toString()) && line.contains("600"), Duration.ofSeconds(1));
            }
            assertEquals(200, new ApiClient(server.baseUrl()).signIn("alice", "alice-password").get("api/auth/session").status());
        }
    }

    @Test
    void aConfigurationFileGivenAnAgentTokenHashIsWrittenForItsOwnerOnly() throws Exception {
        Path config = Files.createTempDirectory("porthole-secret-config").resolve("porthole.properties");
        try (TestServer.Running server = TestServer.startServer(config, "environments.6.type=hawser-edge")) {
            // Nothing secret in it yet, so an operator may let others read it.
            Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
            ApiClient.Response issued = server.signedIn("admin").post("api/environments/6/agent-token", null);
            assertEquals(200, issued.status(), issued.body());
            assertTrue(Files.readString(config).contains("environments.6.agent-token-sha256="));
            assertEquals("rw-------", mode(config));
        }
    }

    @Test
    void theTokensFileIsWrittenForItsOwnerOnly() throws Exception {
        Path config = Files.createTempDirectory("porthole-secret-tokens").resolve("porthole.properties");
        try (TestServer.Running server = TestServer.startServer(config)) {
            ApiClient.Response issued = server.signedIn("admin").post("api/tokens",
                    "{\"user\":\"ci\",\"roles\":[\"porthole-view\"]}");
            assertEquals(201, issued.status(), issued.body());
            assertEquals("rw-------", mode(config.resolveSibling("tokens.json")));
        }
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
