package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sign-in, sign-out and the session cookie. */
@ExtendWith(TestServer.class)
class AuthIT {

    @Test
    void signingInSetsAStrictHttpOnlySessionCookie(TestServer.Running server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "api/auth/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"alice-password\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("session="), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertTrue(r.body().contains("\"username\":\"alice\""), r.body());
    }

    @Test
    void aWrongPasswordIs401AndSaysNothingMore(TestServer.Running server) {
        ApiClient client = server.client();
        ApiClient.Response wrong = client.post("api/auth/login", "{\"username\":\"alice\",\"password\":\"nope\"}");
        ApiClient.Response unknown = client.post("api/auth/login", "{\"username\":\"mallory\",\"password\":\"nope\"}");
        assertEquals(401, wrong.status());
        assertEquals(401, unknown.status());
        assertEquals(wrong.body(), unknown.body());
        assertEquals(401, client.get("api/auth/session").status());
    }

    @Test
    void aMalformedSignInIs400(TestServer.Running server) {
        assertEquals(400, server.client().post("api/auth/login", "{\"username\":\"alice\"}").status());
        assertEquals(400, server.client().post("api/auth/login", "not json").status());
    }

    @Test
    void theSessionSaysWhoIsSignedInAndEndsAtSignOut(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        ApiClient.Response session = alice.get("api/auth/session");
        assertEquals(200, session.status());
        assertEquals("alice", session.json().get("username").asText());
        assertEquals("porthole-exec", session.json().get("roles").get(0).asText());
        assertEquals(204, alice.post("api/auth/logout", null).status());
        assertEquals(401, alice.get("api/auth/session").status());
    }

    @Test
    void theSessionIdChangesAtSignIn(TestServer.Running server) {
        ApiClient client = server.signedIn("alice");
        String before = client.sessionCookie();
        client.signIn("alice", "alice-password");
        assertNotEquals(before, client.sessionCookie());
    }

    @Test
    void unknownPathsAnswerJson(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").get("api/nothing-here");
        assertEquals(404, r.status());
        assertEquals("not found", r.error());
    }
}
