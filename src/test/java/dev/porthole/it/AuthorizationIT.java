package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.WebSocketHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Roles per environment: who may create, resize and attach where, decided before any socket is opened. */
@ExtendWith(TestServer.class)
class AuthorizationIT {

    @Test
    void anEnvironmentRoleGrantsThatEnvironmentOnly(TestServer.Running server) {
        ApiClient carol = server.signedIn("carol");
        ApiClient.Response refused = carol.post("api/containers/ph-busybox/exec?envId=1", "{}");
        assertEquals(403, refused.status());
        assertEquals("you may not open terminals in environment 1 (test engine)", refused.error());
        ApiClient.Response created = carol.post("api/containers/ph-busybox/exec?envId=3", "{}");
        assertEquals(200, created.status(), created.body());
        String execId = created.json().get("execId").asText();
        assertEquals(200, carol.post("api/containers/exec/" + execId + "/resize?envId=3&h=30&w=90", null).status());
        TerminalClient terminal = carol.attach(execId, "envId=3");
        terminal.type("echo env-three-$((1+2))\n");
        terminal.await("env-three-3");
        terminal.close();
    }

    @Test
    void theSessionListsTheEnvironmentRoles(TestServer.Running server) {
        ApiClient.Response session = server.signedIn("carol").get("api/auth/session");
        assertEquals("[\"porthole-exec-3\",\"porthole-view-1\"]", session.json().get("roles").toString());
    }

    @Test
    void resizingWithoutTheExecPermissionIs403(TestServer.Running server) {
        String execId = server.signedIn("alice").createExec("ph-busybox", "{}");
        ApiClient.Response bob = server.signedIn("bob").resize(execId, 20, 20);
        assertEquals(403, bob.status());
        assertEquals("you may not open terminals in environment 1 (test engine)", bob.error());
        assertEquals(403, server.signedIn("carol").resize(execId, 20, 20).status());
    }

    @Test
    void aHandshakeWithoutTheExecPermissionIsRefusedBeforeTheUpgrade(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        assertHandshakeRefused(server.signedIn("bob"), execId, "envId=1", 403);
        assertHandshakeRefused(server.signedIn("carol"), execId, "envId=1", 403);
        // Nobody without any exec permission gets a socket, whatever the envId says.
        assertHandshakeRefused(server.signedIn("bob"), execId, "envId=99", 403);
        assertHandshakeRefused(server.signedIn("bob"), execId, "", 403);
        // The refusals did not use the instance up.
        TerminalClient terminal = alice.attach(execId, "envId=1");
        terminal.type("echo unused-$((3+4))\n");
        terminal.await("unused-7");
        terminal.close();
    }

    @Test
    void aStolenExecIdIsRefusedAndRevealsNothing(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        assertHandshakeRefused(server.signedIn("bob"), execId, "envId=1", 403);
        ApiClient carol = server.signedIn("carol");
        TerminalClient.Closed stolen = carol.attach(execId, "envId=3").awaitClose();
        TerminalClient.Closed unknown = carol.attach("0123456789abcdef0123456789abcdef", "envId=3").awaitClose();
        assertEquals(4404, stolen.code());
        assertEquals(unknown, stolen);
        TerminalClient mine = alice.attach(execId, "envId=1");
        mine.type("echo still-mine-$((2+5))\n");
        mine.await("still-mine-7");
        mine.close();
    }

    static void assertHandshakeRefused(ApiClient client, String execId, String query, int status) {
        try {
            client.connectOrFail("api/containers/exec/" + execId + "/attach?" + query, null).close();
            throw new AssertionError("the handshake was accepted");
        } catch (WebSocketHandshakeException refused) {
            assertEquals(status, refused.getResponse().statusCode());
        }
    }
}
