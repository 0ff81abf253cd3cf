package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign-in hardening: guessing is slowed down and locked out per user name and per address, alike for users that
 * exist and users that do not; the cookie is Secure behind a trusted TLS-terminating proxy.
 */
@ExtendWith(TestServer.class)
class SignInIT {
    private static final String TOO_MANY = "too many failed sign-ins: try again in \\d+ seconds?";

    @Test
    void failedSignInsAreSlowedDownThenLockedOutAndNothingSaysWhetherTheUserExists(TestServer.Running server)
            throws Exception {
        // side by side, since each waits out the delays and the lockout (over 16 s)
        CompletableFuture<List<String>> ghostAttempts = CompletableFuture.supplyAsync(() -> attempts(server,
                "ghost-" + System.nanoTime(), "whatever", "198.51.100.2"));
        List<String> dave = attempts(server, "dave", "dave-password", "198.51.100.1");
        List<String> ghost = ghostAttempts.get(2, TimeUnit.MINUTES);
        assertEquals(dave, ghost);
        assertEquals(List.of("401", "401", "429", "401", "429", "401", "429", "200|401"), dave);
        var locked = AuditIT.find(server, r -> r.path("event").asText().equals("sign-in-failed")
                && r.path("user").asText().equals("dave") && r.path("reason").asText().endsWith("now locked out"));
        assertEquals("198.51.100.1", locked.get("client").asText());
    }

    /**
     * Two wrong passwords, one attempt too soon, a wrong one after the delay, one too soon, a wrong one that locks
     * out, the right one during the lockout and after it. Answers the statuses; the last one is "200|401" because
     * only an existing user can then sign in.
     */
    private static List<String> attempts(TestServer.Running server, String user, String password, String address) {
        List<String> statuses = new ArrayList<>();
        statuses.add(login(server, user, "wrong", address).status() + "");
        statuses.add(login(server, user, "wrong", address).status() + "");
        statuses.add(tooMany(login(server, user, password, address)));
        sleep(TestServer.SIGN_IN_DELAY_MILLIS + 50);
        statuses.add(login(server, user, "wrong", address).status() + "");
        statuses.add(tooMany(login(server, user, "wrong", address)));
        sleep(2 * TestServer.SIGN_IN_DELAY_MILLIS + 50);
        statuses.add(login(server, user, "wrong", address).status() + "");
        sleep(4 * TestServer.SIGN_IN_DELAY_MILLIS + 50); // longer than any delay, shorter than the lockout
        statuses.add(tooMany(login(server, user, password, address)));
        sleep(TestServer.LOCKOUT_MILLIS - 4 * TestServer.SIGN_IN_DELAY_MILLIS + 100);
        int last = login(server, user, password, address).status();
        statuses.add(last == 200 || last == 401 ? "200|401" : last + "");
        return statuses;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tooMany(ApiClient.Response r) {
        assertTrue(r.status() != 429 || r.error().matches(TOO_MANY), r.body());
        return r.status() + "";
    }

    @Test
    void oneAddressTryingManyNamesIsSlowedDown(TestServer.Running server) {
        String address = "198.51.100.3";
        for (int i = 0; i < 10; i++) {
            assertEquals(401, login(server, "spray-" + i + "-" + System.nanoTime(), "x", address).status());
        }
        ApiClient.Response next = login(server, "alice", "alice-password", address);
        assertEquals(429, next.status(), next.body());
        assertTrue(next.error().matches(TOO_MANY), next.body());
        assertEquals(200, login(server, "alice", "alice-password", "198.51.100.4").status(), "other addresses are not affected");
    }

    @Test
    void theCookieIsSecureBehindATrustedHttpsProxy(TestServer.Running server) throws Exception {
        String behindProxy = setCookie(server, "https");
        assertTrue(behindProxy.contains("Secure"), behindProxy);
        assertTrue(behindProxy.contains("HttpOnly") && behindProxy.contains("SameSite=Strict"), behindProxy);
        String plain = setCookie(server, null);
        assertFalse(plain.contains("Secure"), plain);
    }

    private static String setCookie(TestServer.Running server, String forwardedProto) throws Exception {
        HttpRequest.Builder login = HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"alice-password\"}"));
        if (forwardedProto != null) {
            login.header("X-Forwarded-Proto", forwardedProto);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(login.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().firstValue("Set-Cookie").orElseThrow();
    }

    private static ApiClient.Response login(TestServer.Running server, String user, String password, String address) {
        return server.client().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/auth/login"))
                .header("Content-Type", "application/json").header("X-Forwarded-For", address)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")));
    }
}
