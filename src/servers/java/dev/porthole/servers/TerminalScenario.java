package dev.porthole.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.it.ApiClient;
import dev.porthole.it.Engine;
import dev.porthole.it.TerminalClient;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The terminal scenario of issue 6, run through a real application server that the WAR was deployed to under
 * {@code /porthole}: the realm's users, the API, the socket and the cookie path all go through that server.
 * Each server passes its own {@code sleep} markers, so a process left behind names the server that left it.
 */
final class TerminalScenario {
    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);

    /** A user of the server's realm. */
    record Account(String name, String password) {
    }

    private final String baseUrl;
    private final int marker;
    /** May open terminals on environment 1. */
    private final Account mayExec;
    /** May sign in, and open nothing. */
    private final Account mayNot;

    /**
     * Payara Micro reports the machine's first network address; the test servers listen on loopback only, and so
     * the tests talk to 127.0.0.1 whatever host the adapter names. The users are those of the test servers' realms.
     */
    TerminalScenario(URL deployment, int marker) {
        this("http://127.0.0.1:" + deployment.getPort()
                        + (deployment.getPath().endsWith("/") ? deployment.getPath() : deployment.getPath() + "/"),
                marker, new Account("alice", "alice-password"), new Account("bob", "bob-password"));
    }

    /** Against Porthole at {@code baseUrl} (ending in {@code /porthole/}) with two users of its realm. */
    TerminalScenario(String baseUrl, int marker, Account mayExec, Account mayNot) {
        this.baseUrl = baseUrl;
        this.marker = marker;
        this.mayExec = mayExec;
        this.mayNot = mayNot;
    }

    String baseUrl() {
        return baseUrl;
    }

    void isServedUnderItsContextPath() {
        assertTrue(baseUrl.endsWith("/porthole/"), baseUrl);
        ApiClient.Response health = new ApiClient(baseUrl).get("api/health");
        assertEquals(200, health.status(), health.body());
    }

    /**
     * The sign-in's cookie belongs to the context path, not to every application on the host: the container's session
     * cookie, or on a clustered node Porthole's own.
     */
    void sessionCookieIsScopedToTheContextPath() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "api/auth/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(ApiClient.loginBody(mayExec.name(), mayExec.password())))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        List<String> cookies = response.headers().allValues("Set-Cookie");
        assertTrue(cookies.stream().anyMatch(c -> (c.startsWith("session=") || c.startsWith("porthole-signin="))
                && c.contains("Path=/porthole")
                && c.contains("HttpOnly")), cookies.toString());
    }

    /** Sign in, create, attach, type, resize, read the exit code; the background job dies with the terminal. */
    void aRealmUserRunsATerminalToItsEnd() {
        ApiClient user = signIn(mayExec);
        assertTrue(user.get("api/auth/session").body().contains("porthole-exec"));
        String execId = user.createExec("ph-busybox", "{}");
        TerminalClient terminal = user.attach(execId, "envId=1");
        String sleeper = "sleep " + marker;
        terminal.type(sleeper + " & echo started-$((6*7))\n");
        terminal.await("started-42");
        Engine.awaitRunning("ph-busybox", sleeper, FEW_SECONDS);
        assertEquals(200, user.resize(execId, 31, 97).status());
        terminal.type("echo size-$(stty size | tr ' ' x)\n");
        terminal.await("size-31x97");
        terminal.type("exit 5\n");
        TerminalClient.Closed closed = terminal.awaitClose();
        assertEquals(1000, closed.code());
        assertEquals("exit 5", closed.reason());
        Engine.awaitGone("ph-busybox", sleeper, FEW_SECONDS);
    }

    /** The client closes the socket: nothing the terminal started is left in the container. */
    void closingTheSocketLeavesNoProcess() {
        ApiClient user = signIn(mayExec);
        TerminalClient terminal = user.terminal("ph-busybox");
        String sleeper = "sleep " + (marker + 1);
        terminal.type(sleeper + "\n");
        Engine.awaitRunning("ph-busybox", sleeper, FEW_SECONDS);
        terminal.close();
        terminal.awaitClose();
        Engine.awaitGone("ph-busybox", sleeper, FEW_SECONDS);
    }

    void aUserWithoutTheRoleIsRefused() {
        ApiClient outsider = signIn(mayNot);
        ApiClient.Response refused = outsider.post("api/containers/ph-busybox/exec?envId=1", "{}");
        assertEquals(403, refused.status(), refused.body());
        ApiClient.Response wrong = new ApiClient(baseUrl).post("api/auth/login", ApiClient.loginBody(mayExec.name(), "not-her-password"));
        assertEquals(401, wrong.status(), wrong.body());
    }

    ApiClient signIn(Account account) {
        return new ApiClient(baseUrl).signIn(account.name(), account.password());
    }
}
