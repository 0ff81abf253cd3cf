package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Environments change while Porthole runs, through the admin API or an edit of the configuration file: changes
 * persist in the file, terminals of changed or removed environments close with a reason, and the others stay open.
 */
class EnvironmentAdminIT {
    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);
    private Path config;
    private TestServer.Running running;

    @BeforeEach
    void start() throws Exception {
        config = Files.createTempDirectory("porthole-admin-it").resolve("porthole.properties");
        running = TestServer.startServer(config, TestEngines.lines(List.of(
                TestEngines.http(2, "plain http"), List.of("config.reload-interval=200ms"))));
    }

    @AfterEach
    void stop() throws Exception {
        running.close();
    }

    private static String httpsBody(String name) {
        Path tls = TestEngines.TLS_DIR;
        return "{\"name\":\"" + name + "\",\"url\":\"" + TestEngines.HTTPS + "\",\"tls\":{\"ca\":\"" + tls.resolve("ca.pem")
                + "\",\"cert\":\"" + tls.resolve("cert.pem") + "\",\"key\":\"" + tls.resolve("key.pem") + "\"}}";
    }

    @Test
    void onlyAnAdminMayManageEnvironments() {
        ApiClient alice = running.signedIn("alice");
        assertEquals(403, alice.post("api/environments", httpsBody("nope")).status());
        assertEquals(403, alice.get("api/environments/2").status());
        assertEquals(403, alice.put("api/environments/2", "{\"url\":\"tcp://127.0.0.1:1\"}").status());
        assertEquals(403, alice.delete("api/environments/2").status());
        assertEquals(401, running.client().get("api/environments/2").status());
    }

    @Test
    void anAddedEnvironmentIsUsableAndKeptInTheFile() throws Exception {
        ApiClient admin = running.signedIn("admin");
        ApiClient.Response created = admin.post("api/environments", httpsBody("added tls"));
        assertEquals(201, created.status(), created.body());
        // The test server has environments 1 to 3: the next free id is 4.
        assertEquals(4, created.json().get("id").asInt());
        assertEquals("https", created.json().at("/connectionInfo/type").asText());
        assertEquals(URI.create(TestEngines.HTTPS).getPort(), created.json().at("/connectionInfo/port").asInt());
        String key = Files.readString(TestEngines.TLS_DIR.resolve("key.pem"));
        assertFalse(created.body().contains("PRIVATE KEY"), created.body());
        assertFalse(admin.get("api/environments/4").body().contains(key.lines().skip(1).findFirst().orElseThrow()));

        String file = Files.readString(config);
        assertTrue(file.contains("environments.4.url=" + TestEngines.HTTPS), file);
        assertTrue(file.contains("environments.4.tls.key=" + TestEngines.TLS_DIR.resolve("key.pem")), file);
        assertTrue(file.contains("environments.2.name=plain http"), "other lines are kept:\n" + file);

        TerminalClient terminal = running.signedIn("alice").terminal(4, "ph-busybox");
        terminal.type("echo added-$((6*6))\n");
        terminal.await("added-36");
        terminal.close();
    }

    @Test
    void theRolesOfAnEnvironmentAddedAtRunTimeWorkAtOnce() {
        ApiClient admin = running.signedIn("admin");
        ApiClient.Response created = admin.post("api/environments",
                "{\"id\":9,\"name\":\"nine\",\"url\":\"" + TestServer.ENGINE + "\"}");
        assertEquals(201, created.status(), created.body());

        ApiClient erin = running.signedIn("erin");
        assertEquals("[\"porthole-exec-9\"]", erin.get("api/auth/session").json().get("roles").toString());
        TerminalClient terminal = erin.terminal(9, "ph-busybox");
        terminal.type("echo nine-$((3*3))\n");
        terminal.await("nine-9");
        terminal.close();

        ApiClient.Response issued = admin.post("api/tokens", "{\"user\":\"ci\",\"roles\":[\"porthole-exec-9\"]}");
        assertEquals(201, issued.status(), issued.body());
        ApiClient ci = running.client().useToken(issued.json().get("token").asText());
        assertEquals(200, ci.postExec(9, "ph-busybox", "{}").status());
        assertEquals(403, ci.postExec(1, "ph-busybox", "{}").status());
    }

    @Test
    void badEnvironmentsAreRefusedAndChangeNothing() throws Exception {
        ApiClient admin = running.signedIn("admin");
        String before = Files.readString(config);
        assertEquals(400, admin.post("api/environments", "{\"url\":\"tcp://127.0.0.1:2375\",\"tls\":{\"skipVerify\":true}}").status());
        assertEquals(400, admin.post("api/environments", "{\"url\":\"ftp://example\"}").status());
        assertEquals(400, admin.post("api/environments", "{\"url\":\"tcp://127.0.0.1:2375\",\"colour\":\"red\"}").status());
        assertEquals(400, admin.post("api/environments", "{\"url\":").status());
        ApiClient.Response missingKey = admin.post("api/environments", httpsBody("x").replace("key.pem", "no-such-key.pem"));
        assertEquals(400, missingKey.status(), missingKey.body());
        assertTrue(missingKey.error().contains("no-such-key.pem"), missingKey.error());
        assertEquals(409, admin.post("api/environments", "{\"id\":2,\"url\":\"tcp://127.0.0.1:2375\"}").status());
        assertEquals(404, admin.put("api/environments/9", "{\"url\":\"tcp://127.0.0.1:2375\"}").status());
        assertEquals(404, admin.delete("api/environments/9").status());
        assertEquals(400, admin.get("api/environments/x").status());
        assertEquals(before, Files.readString(config));
    }

    @Test
    void removingAnEnvironmentClosesItsTerminalsAndLeavesTheOthersOpen() {
        ApiClient alice = running.signedIn("alice");
        TerminalClient onRemoved = alice.terminal(2, "ph-busybox");
        TerminalClient onKept = alice.terminal(1, "ph-busybox");
        onRemoved.type("sleep 6201\n");
        Engine.awaitRunning("ph-busybox", "sleep 6201", FEW_SECONDS);

        assertEquals(204, running.signedIn("admin").delete("api/environments/2").status());
        TerminalClient.Closed closed = onRemoved.awaitClose(FEW_SECONDS);
        assertEquals(1001, closed.code());
        assertEquals("environment 2 (plain http) was removed", closed.reason());
        Engine.awaitGone("ph-busybox", "sleep 6201", FEW_SECONDS);

        onKept.type("echo kept-$((7*7))\n");
        onKept.await("kept-49");
        assertEquals(404, alice.postExec(2, "ph-busybox", "{}").status());
        assertEquals(404, running.signedIn("admin").get("api/environments/2").status());
        onKept.close();
    }

    @Test
    void anEditOfTheFileTakesEffectWithoutARestart() throws Exception {
        ApiClient alice = running.signedIn("alice");
        TerminalClient onChanged = alice.terminal(2, "ph-busybox");
        TerminalClient onKept = alice.terminal(1, "ph-busybox");
        onChanged.type("sleep 6202\n");
        Engine.awaitRunning("ph-busybox", "sleep 6202", FEW_SECONDS);

        String file = Files.readString(config).replace("environments.2.name=plain http", "environments.2.name=renamed")
                + String.join("\n", TestEngines.https(4, "from the file")) + "\n";
        Files.writeString(config, file);

        TerminalClient.Closed closed = onChanged.awaitClose(FEW_SECONDS);
        assertEquals(1001, closed.code());
        assertEquals("environment 2 (plain http) was changed", closed.reason());
        Engine.awaitGone("ph-busybox", "sleep 6202", FEW_SECONDS);
        assertEquals("renamed", running.signedIn("admin").get("api/environments/2").json().get("name").asText());
        TerminalClient onAdded = alice.terminal(4, "ph-busybox");
        onAdded.type("echo from-file-$((8*8))\n");
        onAdded.await("from-file-64");
        onAdded.close();

        onKept.type("echo still-$((9*9))\n");
        onKept.await("still-81");
        onKept.close();
    }

    @Test
    void aChangeThroughTheApiReplacesTheEnvironment() throws Exception {
        ApiClient admin = running.signedIn("admin");
        ApiClient.Response changed = admin.put("api/environments/2",
                "{\"name\":\"now tls\",\"url\":\"" + TestEngines.HTTPS + "\",\"tls\":{\"ca\":\""
                        + TestEngines.TLS_DIR.resolve("ca.pem") + "\",\"cert\":\"" + TestEngines.TLS_DIR.resolve("cert.pem")
                        + "\",\"key\":\"" + TestEngines.TLS_DIR.resolve("key.pem") + "\"},\"readTimeout\":\"30s\"}");
        assertEquals(200, changed.status(), changed.body());
        assertEquals("https", changed.json().at("/connectionInfo/type").asText());
        assertEquals("30s", changed.json().get("readTimeout").asText());
        String file = Files.readString(config);
        assertTrue(file.contains("environments.2.name=now tls") && !file.contains("plain http"), file);
        ApiClient.Response created = running.signedIn("alice").postExec(2, "ph-busybox", "{}");
        assertEquals(200, created.status(), created.body());
        assertEquals("https", created.json().at("/connectionInfo/type").asText());
    }
}
