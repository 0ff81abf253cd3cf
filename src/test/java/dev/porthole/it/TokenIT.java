package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** API tokens: an admin issues and revokes them; a token acts as its user with its recorded roles, REST and socket. */
@ExtendWith(TestServer.class)
class TokenIT {

    @Test
    void aTokenActsAsItsUserWithItsRolesUntilRevoked(TestServer.Running server) throws Exception {
        ApiClient admin = server.signedIn("admin");
        ApiClient.Response issued = admin.post("api/tokens",
                "{\"user\":\"robot\",\"roles\":[\"porthole-exec-1\"],\"note\":\"deploy job\"}");
        assertEquals(201, issued.status(), issued.body());
        String token = issued.json().get("token").asText();
        String id = issued.json().at("/about/id").asText();
        assertTrue(token.matches("ph_[A-Za-z0-9_-]{43}"), token);
        assertEquals("robot", issued.json().at("/about/user").asText());
        String stored = Files.readString(server.auditFile().getParent().getParent().resolve("tokens.json"));
        assertFalse(stored.contains(token.substring(3)), "the token itself is never stored");
        assertTrue(stored.contains(id), stored);

        ApiClient robot = server.client().useToken(token);
        assertEquals("robot", robot.get("api/auth/session").json().get("username").asText());
        assertEquals(403, robot.post("api/containers/ph-busybox/exec?envId=3", "{}").status());
        String execId = robot.createExec("ph-busybox", "{}");
        assertEquals(200, robot.resize(execId, 30, 90).status());
        TerminalClient terminal = robot.attach(execId, "envId=1");
        terminal.type("echo by-token-$((4000+6))\n");
        terminal.await("by-token-4006");
        assertEquals(403, robot.get("api/tokens").status(), "the token's roles do not include admin");

        JsonNode listed = admin.get("api/tokens").json();
        JsonNode entry = null;
        for (JsonNode t : listed) {
            if (t.get("id").asText().equals(id)) {
                entry = t;
            }
        }
        assertTrue(entry != null && !entry.has("sha256") && !entry.has("token"), listed.toString());
        assertEquals("[\"porthole-exec-1\"]", entry.get("roles").toString());
        assertEquals("admin", entry.get("createdBy").asText());

        assertEquals(204, admin.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/tokens/" + id)).DELETE()).status());
        assertEquals(4401, terminal.awaitClose(Duration.ofSeconds(2)).code(), "revoking a token ends its terminals");
        ApiClient.Response after = robot.get("api/auth/session");
        assertEquals(401, after.status());
        assertEquals("invalid or revoked API token", after.error());
        assertEquals(404, admin.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/tokens/" + id)).DELETE()).status());
    }

    @Test
    void aBadTokenIsRefusedEvenWithAValidCookie(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        for (String authorization : new String[] {"Bearer ph_nope", "Bearer ", "Basic YWxpY2U6YWxpY2UtcGFzc3dvcmQ=", "ph_x"}) {
            ApiClient.Response r = alice.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/auth/session"))
                    .header("Authorization", authorization));
            assertEquals(401, r.status(), authorization);
        }
        try {
            server.client().useToken("ph_" + "a".repeat(43)).connectOrFail("api/containers/exec/x/attach?envId=1", null);
            throw new AssertionError("a handshake with a bad token was accepted");
        } catch (WebSocketHandshakeException refused) {
            assertEquals(401, refused.getResponse().statusCode());
        }
    }

    @Test
    void onlyAnAdminManagesTokensAndOnlyWithKnownRoles(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        assertEquals(403, alice.post("api/tokens", "{\"user\":\"alice\",\"roles\":[\"porthole-admin\"]}").status());
        assertEquals(403, alice.get("api/tokens").status());
        ApiClient admin = server.signedIn("admin");
        ApiClient.Response unknownRole = admin.post("api/tokens", "{\"user\":\"robot\",\"roles\":[\"root\"]}");
        assertEquals(400, unknownRole.status());
        assertTrue(unknownRole.error().startsWith("unknown role 'root'"), unknownRole.body());
        assertEquals(400, admin.post("api/tokens", "{\"user\":\"robot\",\"roles\":[]}").status());
        assertEquals(400, admin.post("api/tokens", "{\"user\":\"../etc\",\"roles\":[\"porthole-exec\"]}").status());
        assertEquals(400, admin.post("api/tokens", "{\"roles\":[\"porthole-exec\"]}").status());
    }

    static Path tokensFile(TestServer.Running server) {
        return server.auditFile().getParent().getParent().resolve("tokens.json");
    }
}
