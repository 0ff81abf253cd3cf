package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The terminal handshake is authorised from the exec instance itself, never from how its path or query is spelled.
 * Each row spells the handshake of an exec instance that admin's session created on environment 1 in one more way,
 * sent byte for byte, and tries it with every credential that must not reach that instance: admin's second session,
 * a token of admin that may exec, a view-only token named admin, a revoked token of admin, bob (no role) and carol
 * (exec on environment 3 only). None gets a terminal; those without exec permission anywhere get no socket at all.
 * Then the owner attaches, which proves that no refusal used the instance up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttachAuthorizationIT {
    /** Credentials without exec permission on any environment: refused before the upgrade, whatever the spelling. */
    private static final List<String> WITHOUT_EXEC = List.of("view-only token named admin", "bob");
    private static final String REVOKED = "revoked token of admin";

    private TestServer.Running server;
    private ApiClient owner;
    private Map<String, String> ownerHeaders;
    /** Who, and the handshake headers that carry its credential. */
    private final Map<String, Map<String, String>> others = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        // Long enough that an instance outlives its row on a slow machine: the rows are about credentials, not time.
        server = TestServer.startServer("exec.attach-timeout=120s");
        owner = server.signedIn("admin");
        ownerHeaders = cookie(owner);
        ApiClient admin = server.signedIn("admin");
        others.put("admin's second session", cookie(admin));
        others.put("token of admin with porthole-exec", bearer(issue(admin, "porthole-exec")));
        others.put("view-only token named admin", bearer(issue(admin, "porthole-view")));
        ApiClient.Response revoked = admin.post("api/tokens", "{\"user\":\"admin\",\"roles\":[\"porthole-admin\"]}");
        assertEquals(204, admin.delete("api/tokens/" + revoked.json().at("/about/id").asText()).status());
        others.put(REVOKED, bearer(revoked.json().get("token").asText()));
        others.put("bob", cookie(server.signedIn("bob")));
        others.put("carol, exec on environment 3 only", cookie(server.signedIn("carol")));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    /** Spellings of the path that the server may route to the terminal endpoint; {id} is the exec id. */
    static Stream<String> pathSpellings() {
        return Stream.of(
                "/api/containers/exec/{id}/attach",
                "/api/containers/exec/{id}/attach;x",
                "/api/containers/exec/{id};x/attach",
                "/api;x/containers/exec/{id}/attach",
                "/api/containers;jsessionid=1/exec/{id}/attach",
                "/api/containers/exec/{id}/%61ttach",
                "/api/containers/exec/{id}/attac%68",
                "/api/%63ontainers/exec/{id}/attach",
                "/%61pi/containers/exec/{id}/attach",
                "/api/containers//exec/{id}/attach",
                "//api/containers/exec/{id}/attach",
                "/api/containers/exec//{id}/attach",
                "/api/containers/exec/{id}//attach",
                "/api/containers/./exec/{id}/attach",
                "/api/containers/x/../exec/{id}/attach",
                "/api/containers/exec/{id}/x/%2e%2e/attach",
                "/api/containers/exec/{id}/attach/",
                "/api/containers/exec/%{hex}/attach");
    }

    /** Spellings of the query; the instance is on environment 1. */
    static Stream<Arguments> querySpellings() {
        return Stream.of(
                Arguments.of("envId=1", true),
                Arguments.of("envId=%201", false),
                Arguments.of("envId=1%20", false),
                Arguments.of("envId=1%00", false),
                Arguments.of("envId=%2B1", false),
                Arguments.of("envId=+1", false),
                Arguments.of("envId=01", false),
                Arguments.of("envId=%EF%BC%91", false),
                Arguments.of("envId=%D9%A1", false),
                Arguments.of("envId=3", false),
                Arguments.of("envId=99", false),
                Arguments.of("envId=1&envId=3", true),
                Arguments.of("envId=3&envId=1", false),
                Arguments.of("envid=1", false),
                Arguments.of("envId=", false),
                Arguments.of("", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathSpellings")
    void noSpellingOfThePathLetsAnotherCredentialIn(String spelling) throws IOException {
        String execId = owner.createExec("ph-busybox", "{}");
        String target = spell(spelling, execId) + "?envId=1";
        assertNoOtherGetsATerminal(target);
        if (!attaches(target)) {
            assertTrue(attaches(spell(pathSpellings().findFirst().orElseThrow(), execId) + "?envId=1"),
                    "the owner could not attach after the refusals");
        }
    }

    @ParameterizedTest(name = "query ''{0}''")
    @MethodSource("querySpellings")
    void noSpellingOfTheQueryLetsAnotherCredentialIn(String query, boolean ownerAttaches) throws IOException {
        String execId = owner.createExec("ph-busybox", "{}");
        String target = "/api/containers/exec/" + execId + "/attach?" + query;
        assertNoOtherGetsATerminal(target);
        assertEquals(ownerAttaches, attaches(target), "the owner at " + target);
        if (!ownerAttaches) {
            assertTrue(attaches("/api/containers/exec/" + execId + "/attach?envId=1"),
                    "the owner could not attach after the refusals");
        }
    }

    private static String spell(String spelling, String execId) {
        // %{hex}: the exec id with its first digit percent-encoded
        return spelling.replace("%{hex}", "%" + Integer.toHexString(execId.charAt(0)) + execId.substring(1))
                .replace("{id}", execId);
    }

    private void assertNoOtherGetsATerminal(String target) {
        assertAll(others.entrySet().stream().map(other -> (Executable) () -> assertNoTerminal(other.getKey(), target, other.getValue())));
    }

    /** {@code who} must get no terminal: a refused handshake, or a socket that closes at once with a 44xx code. */
    private void assertNoTerminal(String who, String target, Map<String, String> headers) {
        try (RawSocket socket = RawSocket.handshake(server.baseUrl(), target, headers)) {
            String at = who + " at " + target;
            if (who.equals(REVOKED)) {
                assertEquals(401, socket.status(), at);
                return;
            }
            if (socket.status() != 101) {
                assertTrue(List.of(403, 404).contains(socket.status()), at + ": " + socket.status());
                return;
            }
            if (WITHOUT_EXEC.contains(who)) {
                fail(at + " got a socket, without exec permission anywhere");
            }
            String event = socket.nextEvent();
            assertTrue(event.matches("close 44(00|03|04) .*"), at + ": " + event);
        } catch (IOException e) {
            throw new AssertionError(who + " at " + target + ": " + e, e);
        }
    }

    /**
     * The owner's handshake at {@code target}: true when it gave a working terminal (typed into, answered), false
     * when it was refused or the socket closed without one. The socket is dropped afterwards, which ends the terminal.
     */
    private boolean attaches(String target) throws IOException {
        try (RawSocket socket = RawSocket.handshake(server.baseUrl(), target, ownerHeaders)) {
            if (socket.status() != 101) {
                assertTrue(List.of(403, 404).contains(socket.status()), target + ": " + socket.status());
                return false;
            }
            String event = socket.nextEvent();
            if (event.startsWith("close ")) {
                assertTrue(event.matches("close 44(00|03|04) .*"), target + ": " + event);
                return false;
            }
            socket.sendText("echo owner-$((6*7))\n");
            StringBuilder output = new StringBuilder(event);
            while (output.indexOf("owner-42") < 0) {
                String next = socket.nextEvent();
                if (!next.startsWith("output: ")) {
                    fail(target + ": the owner's terminal did not answer: " + output + " / " + next);
                }
                output.append(next);
            }
            return true;
        }
    }

    private static String issue(ApiClient admin, String role) {
        ApiClient.Response issued = admin.post("api/tokens", "{\"user\":\"admin\",\"roles\":[\"" + role + "\"]}");
        assertEquals(201, issued.status(), issued.body());
        return issued.json().get("token").asText();
    }

    private static Map<String, String> cookie(ApiClient client) {
        return Map.of("Cookie", client.sessionCookie());
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }
}
