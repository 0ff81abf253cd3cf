package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same terminal over every connection type, against the one test engine: environment 1 its unix socket,
 * 2 plain HTTP, 3 mutual TLS.
 */
class EnvironmentTypesIT {
    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);
    private static TestServer.Running running;

    @BeforeAll
    static void start() {
        running = TestServer.startServer(TestEngines.lines(List.of(
                TestEngines.http(2, "plain http"), TestEngines.https(3, "mutual tls"))));
    }

    @AfterAll
    static void stop() throws Exception {
        running.close();
    }

    @ParameterizedTest(name = "environment {0}")
    @ValueSource(ints = {1, 2, 3})
    void theConnectionInfoIsTheEnvironmentsRealConnection(int envId) throws Exception {
        String expected = switch (envId) {
            case 1 -> "{\"type\":\"socket\",\"host\":\"" + URI.create(TestServer.ENGINE).getPath() + "\"}";
            case 2 -> "{\"type\":\"http\",\"host\":\"127.0.0.1\",\"port\":" + URI.create(TestEngines.HTTP).getPort() + "}";
            default -> "{\"type\":\"https\",\"host\":\"127.0.0.1\",\"port\":" + URI.create(TestEngines.HTTPS).getPort() + "}";
        };
        ApiClient.Response created = running.signedIn("alice").postExec(envId, "ph-busybox", "{}");
        assertEquals(200, created.status(), created.body());
        assertEquals(new ObjectMapper().readTree(expected), created.json().get("connectionInfo"));
    }

    @ParameterizedTest(name = "environment {0}")
    @ValueSource(ints = {1, 2, 3})
    void theWholeTerminalWorksOverEveryType(int envId) {
        ApiClient alice = running.signedIn("alice");
        ApiClient.Response created = alice.postExec(envId, "ph-busybox", "{}");
        assertEquals(200, created.status(), created.body());
        String execId = created.json().get("execId").asText();
        TerminalClient terminal = alice.attach(execId, "envId=" + envId);

        terminal.type("echo typed-$((" + envId + "*100+7))\n");
        terminal.await("typed-" + (envId * 100 + 7));
        terminal.type("echo size-$(stty size | tr ' ' x)\n");
        terminal.await("size-24x80");
        assertEquals(200, alice.resize(envId, execId, 33, 100 + envId).status());
        terminal.type("echo size-$(stty size | tr ' ' x)\n");
        terminal.await("size-33x" + (100 + envId));

        String background = "sleep 6" + envId + "01";
        String foreground = "sleep 6" + envId + "02";
        terminal.type(background + " &\n" + foreground + "\n");
        Engine.awaitRunning("ph-busybox", background, FEW_SECONDS);
        Engine.awaitRunning("ph-busybox", foreground, FEW_SECONDS);
        terminal.close();
        Engine.awaitGone("ph-busybox", background, FEW_SECONDS);
        Engine.awaitGone("ph-busybox", foreground, FEW_SECONDS);
    }

    @ParameterizedTest(name = "environment {0}")
    @ValueSource(ints = {1, 2, 3})
    void theExitCodeArrivesOverEveryType(int envId) {
        ApiClient alice = running.signedIn("alice");
        ApiClient.Response created = alice.postExec(envId, "ph-bash", "{\"shell\":\"/bin/bash\"}");
        assertEquals(200, created.status(), created.body());
        TerminalClient terminal = alice.attach(created.json().get("execId").asText(), "envId=" + envId);
        terminal.type("echo \"bash ${BASH_VERSINFO[0]} on " + envId + "\"; exit 4" + envId + "\n");
        TerminalClient.Closed closed = terminal.awaitClose();
        assertEquals(1000, closed.code());
        assertEquals("exit 4" + envId, closed.reason());
    }
}
