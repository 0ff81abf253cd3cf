package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocketHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST side of the exec API: answers and every error, against the real engine. */
@ExtendWith(TestServer.class)
class ExecApiIT {

    @Test
    void createAnswersAnUnguessableExecIdAndTheConnection(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").post("api/containers/ph-busybox/exec?envId=1",
                "{\"shell\":\"/bin/sh\",\"user\":\"root\"}");
        assertEquals(200, r.status(), r.body());
        JsonNode json = r.json();
        assertTrue(json.get("execId").asText().matches("[0-9a-f]{32}"), r.body());
        assertEquals("socket", json.at("/connectionInfo/type").asText());
        assertEquals(TestServer.ENGINE.substring("unix://".length()), json.at("/connectionInfo/host").asText());
    }

    @Test
    void theBodyMayBeLeftOutAndAContainerIdPrefixWorks(TestServer.Running server) {
        String id = Engine.exec("ph-busybox", "hostname").trim();
        ApiClient alice = server.signedIn("alice");
        assertEquals(200, alice.post("api/containers/" + id.substring(0, 6) + "/exec?envId=1", null).status());
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "ph-busybox/exec                  | {}                          | 400 | envId is required",
        "ph-busybox/exec?envId=abc        | {}                          | 400 | envId must be a number, not 'abc'",
        "ph-busybox/exec?envId=99         | {}                          | 404 | unknown environment 99",
        "no-such-container/exec?envId=1   | {}                          | 404 | container no-such-container: No such container: no-such-container",
        "ph-stopped/exec?envId=1          | {}                          | 409 | ",
        "ph-busybox/exec?envId=1          | {\"shell\":                 | 400 | ",
        "ph-busybox/exec?envId=1          | {\"shell\":5}               | 400 | ",
        "ph-busybox/exec?envId=1          | {\"colour\":\"red\"}        | 400 | ",
        "ph-busybox/exec?envId=1          | [1,2]                       | 400 | ",
        "ph-busybox/exec?envId=1          | {\"shell\":\"/bin/sh -l\"}  | 400 | shell must be the path of one program, like /bin/bash, not '/bin/sh -l'",
        "ph-busybox/exec?envId=1          | {\"shell\":\"../../x\"}     | 400 | ",
        "ph-busybox/exec?envId=1          | {\"user\":\"a:b:c\"}        | 400 | user must be a name, a UID or UID:GID, not 'a:b:c'",
        "ph-busybox/exec?envId=1          | {\"user\":\"\"}             | 400 | ",
        "ph-busybox/exec?envId=1          | {\"user\":\"r\\u0000t\"}    | 400 | ",
    })
    void badCreatesGetAClearError(String path, String body, int status, String message, TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").post("api/containers/" + path.trim(), body.trim());
        assertEquals(status, r.status(), r.body());
        String error = r.error();
        assertTrue(error != null && !error.isBlank(), r.body());
        if (message != null) {
            assertEquals(message.trim(), error);
        }
        assertFalse(r.body().contains("Exception"), r.body());
    }

    @Test
    void aStoppedContainerIsAConflict(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").post("api/containers/ph-stopped/exec?envId=1", "{}");
        assertEquals(409, r.status());
        assertTrue(r.error().contains("is not running"), r.error());
    }

    @ParameterizedTest(name = "h={0} w={1} -> {2}")
    @CsvSource({
        "'',    80,   400", "24,   '',   400", "abc,  80,   400", "24,   1.5,  400", "0,    80,   400",
        "-1,   80,   400", "24,   0,    400", "100000, 80, 400", "24,   99999999999, 400", "24, 80, 200",
    })
    void badSizesAreRefused(String rows, String cols, int status, TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        ApiClient.Response r = alice.post("api/containers/exec/" + execId + "/resize?envId=1&h=" + rows + "&w=" + cols, null);
        assertEquals(status, r.status(), r.body());
        if (status != 200) {
            assertTrue(r.error().matches("[hw] .*"), r.body());
        }
    }

    @Test
    void resizingAnUnknownExecIs404(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").resize("ffffffffffffffffffffffffffffffff", 24, 80);
        assertEquals(404, r.status());
        assertEquals("unknown, expired or already used exec instance", r.error());
    }

    @Test
    void resizingWithoutEnvIdIs400(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        assertEquals(400, alice.post("api/containers/exec/" + execId + "/resize?h=24&w=80", null).status());
    }

    @Test
    void aUserWithoutTheExecRoleIsRefused(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("bob").post("api/containers/ph-busybox/exec?envId=1", "{}");
        assertEquals(403, r.status());
        assertEquals("you may not open terminals in environment 1 (test engine)", r.error());
    }

    @Test
    void everyEndpointWantsASession(TestServer.Running server) throws Exception {
        ApiClient anonymous = server.client();
        assertEquals(401, anonymous.post("api/containers/ph-busybox/exec?envId=1", "{}").status());
        assertEquals(401, anonymous.post("api/containers/exec/abc/resize?envId=1&h=1&w=1", null).status());
        assertEquals(401, anonymous.get("api/auth/session").status());
        assertEquals("sign in first", anonymous.get("api/auth/session").error());
        try {
            anonymous.connectOrFail("api/containers/exec/abc/attach?envId=1", null);
            throw new AssertionError("the handshake was accepted without a session");
        } catch (WebSocketHandshakeException refused) {
            assertEquals(401, refused.getResponse().statusCode());
        }
        assertEquals(200, anonymous.get("api/health").status());
    }

    @Test
    void aHandshakeFromAForeignOriginIsRefused(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        try {
            alice.connectOrFail("api/containers/exec/" + execId + "/attach?envId=1", "https://evil.example");
            throw new AssertionError("a foreign origin was let in");
        } catch (WebSocketHandshakeException refused) {
            assertEquals(403, refused.getResponse().statusCode());
        }
        TerminalClient own = alice.connect("api/containers/exec/" + execId + "/attach?envId=1",
                server.baseUrl().replaceAll("/$", ""));
        own.type("echo same-origin-$((1+2))\n");
        own.await("same-origin-3");
        own.close();
    }
}
