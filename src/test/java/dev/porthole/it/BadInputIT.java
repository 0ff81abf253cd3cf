package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parameter and body field of every endpoint, tried with wrong types, empty, huge and hostile values: each is
 * answered with a 4xx and a clear JSON message, never a 500 and never a stack trace. Requests go out byte for
 * byte, so that targets a browser would never send (raw NUL, broken percent-encoding) are tried too.
 */
@ExtendWith(TestServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Internals an answer must not show: stack traces, the server, Java class names, the JSON library's own words. */
    private static final Pattern LEAK = Pattern.compile("Exception|\\bat [a-z]+\\.[a-z]|\\.java:\\d+|Tomcat|<html"
            + "|dev\\.porthole|java\\.|fasterxml|Jackson|JsonToken|StreamReadConstraints|`");
    /** The servlet container's own refusal of a request it cannot read, before any application sees it. */
    private static final String MALFORMED = "malformed request.*";
    private static final String EXEC = "/api/containers/ph-busybox/exec?envId=1";
    private static final String HEX32 = "0123456789abcdef0123456789abcdef";

    /** One session per user for the whole class: a sign-in costs a PBKDF2 hash, and there are a hundred cases. */
    private final Map<String, String> cookies = new HashMap<>();

    /**
     * One hostile request: who sends it, what, and the status it must get. {@code message} is a regular expression
     * the JSON error must match; {@link #MALFORMED} where the servlet container itself refuses the request line.
     */
    record Case(String who, String method, String target, String contentType, byte[] body, int status, String message) {
        @Override
        public String toString() {
            String shown = body == null ? "" : " " + new String(body, 0, Math.min(body.length, 60), StandardCharsets.UTF_8);
            return who + " " + method + " " + target.substring(0, Math.min(target.length(), 90)) + shown.replaceAll("\\p{Cntrl}", "?");
        }
    }

    private static Case post(String who, String target, String body, int status, String message) {
        return new Case(who, "POST", target, "application/json",
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, message);
    }

    private static Case exec(String body, int status, String message) {
        return post("alice", EXEC, body, status, message);
    }

    private static Case login(String body, int status, String message) {
        return post("nobody", "/api/auth/login", body, status, message);
    }

    private static Case token(String body, String message) {
        return post("admin", "/api/tokens", body, 400, message);
    }

    private static String deep(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static Stream<Arguments> cases() {
        String malformed = "malformed JSON body: .*";
        String shell = "shell must be the path of one program, like /bin/bash, not '.*'";
        String user = "user must be a name, a UID or UID:GID, not '.*'";
        String container = "container must be a container id, id prefix or name, not '.*'";
        String envId = "envId must be a number, not '.*'";
        List<Case> cases = new ArrayList<>(List.of(
                // --- POST /api/containers/{id}/exec: the body ---
                exec("null", 400, "the body must be a JSON object"),
                exec("\"/bin/sh\"", 400, malformed),
                exec("[]", 400, malformed),
                exec("42", 400, malformed),
                exec("true", 400, malformed),
                exec("{", 400, malformed),
                exec("{}{}", 400, malformed),
                exec("{\"shell\":\"/bin/sh\",\"shell\":\"/bin/bash\"}", 400, malformed + "[Dd]uplicate.*"),
                exec("{\"colour\":\"red\"}", 400, malformed + "colour.*"),
                exec("{\"shell\":[\"/bin/sh\"]}", 400, malformed),
                exec("{\"shell\":{\"path\":\"/bin/sh\"}}", 400, malformed),
                exec("{\"shell\":5}", 400, malformed),
                exec("{\"shell\":false}", 400, malformed),
                exec("{\"shell\":" + deep(40) + "}", 400, malformed),
                exec(deep(5000), 400, malformed),
                exec("{\"shell\":\"\"}", 400, shell),
                exec("{\"shell\":\" \"}", 400, shell),
                exec("{\"shell\":\"/bin/sh\\u0000\"}", 400, "shell must .*not '/bin/sh\\?'"),
                exec("{\"shell\":\"/bin/sh\\n\"}", 400, shell),
                exec("{\"shell\":\"/bin/sh -c reboot\"}", 400, shell),
                exec("{\"shell\":\"$(reboot)\"}", 400, shell),
                exec("{\"shell\":\"/bin/../bin/sh\"}", 400, shell),
                exec("{\"shell\":\"../../../../bin/sh\"}", 400, shell),
                exec("{\"shell\":\"/" + "a".repeat(300) + "\"}", 400, shell.replace("'.*'", "'/a+…'")),
                exec("{\"shell\":\"/bin/\\u202Esh\"}", 400, shell),
                exec("{\"user\":\"\"}", 400, user),
                exec("{\"user\":-1}", 400, malformed),
                exec("{\"user\":\"-1\"}", 400, user),
                exec("{\"user\":\"root\\u0000\"}", 400, user),
                exec("{\"user\":\"root;id\"}", 400, user),
                exec("{\"user\":\"0:0:0\"}", 400, user),
                exec("{\"user\":\":\"}", 400, user),
                exec("{\"user\":\"" + "u".repeat(40) + "\"}", 400, user),
                exec("{\"user\":\"../../etc/passwd\"}", 400, user),
                exec("{\"shell\":\"" + "a".repeat(70_000) + "\"}", 400, "request body is larger than 65536 .*"),
                exec("{\"shell\":\"" + "a".repeat(5_000_000) + "\"}", 400, "request body is larger than 65536 .*"),
                new Case("alice", "POST", EXEC, "application/json", new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'},
                        400, malformed),
                new Case("alice", "POST", EXEC, "application/json; charset=no-such-charset", "{}".getBytes(StandardCharsets.UTF_8),
                        415, ".+"),
                // --- the container id in the path ---
                post("alice", "/api/containers/a%20b/exec?envId=1", "{}", 400, container),
                post("alice", "/api/containers/%C3%A9t%C3%A9/exec?envId=1", "{}", 400, container),
                post("alice", "/api/containers/-rf/exec?envId=1", "{}", 400, container),
                post("alice", "/api/containers/.hidden/exec?envId=1", "{}", 400, container),
                post("alice", "/api/containers/ph-busybox%0A/exec?envId=1", "{}", 400, container),
                post("alice", "/api/containers/ph-busybox%00/exec?envId=1", "{}", 400, MALFORMED),
                post("alice", "/api/containers/" + "c".repeat(300) + "/exec?envId=1", "{}", 400, container),
                post("alice", "/api/containers/..%2F..%2Fetc/exec?envId=1", "{}", 400, MALFORMED),
                post("alice", "/api/containers/%2e%2e/exec?envId=1", "{}", 400, container),
                // --- envId ---
                post("alice", "/api/containers/ph-busybox/exec?envId=", "{}", 400, "envId is required"),
                post("alice", "/api/containers/ph-busybox/exec?envId=%00", "{}", 400, envId),
                post("alice", "/api/containers/ph-busybox/exec?envId=1%00", "{}", 400, envId),
                post("alice", "/api/containers/ph-busybox/exec?envId=1%0A", "{}", 400, envId),
                post("alice", "/api/containers/ph-busybox/exec?envId=%zz", "{}", 400, ".+"),
                post("alice", "/api/containers/ph-busybox/exec?envId=-1", "{}", 400, envId),
                post("alice", "/api/containers/ph-busybox/exec?envId=1e3", "{}", 400, envId),
                post("alice", "/api/containers/ph-busybox/exec?envId=0x1", "{}", 400, envId),
                post("alice", "/api/containers/ph-busybox/exec?envId=%E2%91%A0", "{}", 400, envId),
                post("alice", "/api/containers/ph-busybox/exec?envId=99999999999999999999", "{}", 400, envId),
                post("alice", "/api/containers/ph-busybox/exec?envId=" + "1".repeat(3000), "{}", 400, "envId must be a number, not '1+…'"),
                // --- POST /api/containers/exec/{execId}/resize ---
                post("alice", "/api/containers/exec/zzz/resize?envId=1&h=24&w=80", null, 400, "execId must be 32 hex digits.*"),
                post("alice", "/api/containers/exec/" + "f".repeat(2000) + "/resize?envId=1&h=24&w=80", null, 400, "execId must be .*"),
                post("alice", "/api/containers/exec/%00/resize?envId=1&h=24&w=80", null, 400, MALFORMED),
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=x&h=24&w=80", null, 400, envId),
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=1&h=%00&w=80", null, 400, "h must be a whole number.*"),
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=1&h=24&w=8%0A0", null, 400, "w must be a whole number.*"),
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=1&h=24&w=1e2", null, 400, "w must be a whole number.*"),
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=1&h=" + "9".repeat(500) + "&w=80", null, 400, "h must be .*"),
                // only ASCII digits, nothing around them: parseInt would take other scripts' digits and a sign
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=1&h=%EF%BC%91&w=80", null, 400, "h must be a whole number.*"),
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=1&h=%D9%A5&w=80", null, 400, "h must be a whole number.*"),
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=1&h=%2B5&w=80", null, 400, "h must be a whole number.*"),
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=1&h=24&w=+5", null, 400, "w must be a whole number.*"),
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=1&h=%205%20&w=80", null, 400, "h must be a whole number.*"),
                post("alice", "/api/containers/exec/" + HEX32 + "/resize?envId=1&h=24&w=-5", null, 400, "w must be a whole number.*"),
                // --- /api/environments/{id} and its bodies ---
                new Case("admin", "GET", "/api/environments/%EF%BC%91", null, null, 400, "environment id must be .*"),
                new Case("admin", "GET", "/api/environments/%2B1", null, null, 400, "environment id must be .*"),
                new Case("admin", "GET", "/api/environments/%201", null, null, 400, "environment id must be .*"),
                new Case("admin", "GET", "/api/environments/1%20", null, null, 400, "environment id must be .*"),
                post("admin", "/api/environments", "{\"id\":\"2\",\"url\":\"tcp://127.0.0.1:1\"}", 400, malformed + "id.*"),
                post("admin", "/api/environments", "{\"id\":2.5,\"url\":\"tcp://127.0.0.1:1\"}", 400, malformed + "id.*"),
                // --- POST /api/auth/login ---
                login("null", 400, "the body must be a JSON object"),
                login("", 400, "username and password are required"),
                login("[\"alice\",\"x\"]", 400, malformed),
                login("{\"username\":\"alice\"}", 400, "username and password are required"),
                login("{\"username\":\"\",\"password\":\"x\"}", 400, "username and password are required"),
                login("{\"username\":null,\"password\":\"x\"}", 400, "username and password are required"),
                login("{\"username\":5,\"password\":\"x\"}", 400, malformed),
                login("{\"username\":\"alice\",\"password\":5}", 400, malformed),
                login("{\"username\":\"alice\",\"password\":[\"x\"]}", 400, malformed),
                login("{\"username\":\"alice\",\"password\":\"x\",\"remember\":true}", 400, malformed + "remember.*"),
                login("{\"username\":\"al\\u0000ice\",\"password\":\"x\"}", 400, "username must not contain control characters"),
                login("{\"username\":\"alice\\r\\nadmin\",\"password\":\"x\"}", 400, "username must not contain control characters"),
                login("{\"username\":\"" + "a".repeat(300) + "\",\"password\":\"x\"}", 400, "username or password is too long"),
                login("{\"username\":\"alice\",\"password\":\"" + "p".repeat(2000) + "\"}", 400, "username or password is too long"),
                login("{\"username\":\"alice\",\"password\":\"x\"," + "\"a\":".repeat(0) + "\"password\":\"y\"}", 400, malformed + "[Dd]uplicate.*"),
                login("{\"username\":" + deep(40) + "}", 400, malformed),
                // --- /api/tokens ---
                token("null", "the body must be a JSON object"),
                token("{\"user\":5,\"roles\":[\"porthole-exec\"]}", malformed),
                token("{\"user\":\"robot\",\"roles\":\"porthole-exec\"}", malformed),
                token("{\"user\":\"robot\",\"roles\":[null]}", "unknown role 'null'.*"),
                token("{\"user\":\"robot\",\"roles\":[5]}", malformed),
                token("{\"user\":\"robot\",\"roles\":[[\"porthole-exec\"]]}", malformed),
                token("{\"user\":\"robot\",\"roles\":[\"porthole-exec\\u0000\"]}", "unknown role 'porthole-exec\\?'.*"),
                token("{\"user\":\"robot\",\"roles\":[\"porthole-exec\"],\"note\":\"\\u0007\"}", "note must be .*"),
                token("{\"user\":\"robot\",\"roles\":[\"porthole-exec\"],\"note\":\"" + "n".repeat(300) + "\"}", "note must be .*"),
                token("{\"user\":\"robot\",\"roles\":[\"porthole-exec\"],\"expires\":1}", malformed + "expires.*"),
                token("{\"user\":\"\",\"roles\":[\"porthole-exec\"]}", "user must be .*"),
                token("{\"user\":\"robot/../admin\",\"roles\":[\"porthole-exec\"]}", "user must be .*"),
                new Case("admin", "DELETE", "/api/tokens/zz", null, null, 400, "a token id is 16 hex digits.*"),
                new Case("admin", "DELETE", "/api/tokens/" + "a".repeat(500), null, null, 400, "a token id is 16 hex digits.*"),
                new Case("admin", "DELETE", "/api/tokens/0123456789abcdef", null, null, 404, "unknown token 0123456789abcdef"),
                new Case("admin", "DELETE", "/api/tokens/..%2F..%2Fauth", null, null, 400, MALFORMED),
                new Case("admin", "DELETE", "/api/tokens/%00", null, null, 400, MALFORMED),
                // --- methods, types and other paths ---
                new Case("alice", "GET", EXEC, null, null, 405, "method not allowed"),
                new Case("nobody", "PUT", "/api/auth/login", "application/json", "{}".getBytes(StandardCharsets.UTF_8), 405, "method not allowed"),
                new Case("alice", "POST", "/api/auth/session", "application/json", "{}".getBytes(StandardCharsets.UTF_8), 405, "method not allowed"),
                new Case("alice", "GET", "/api/" + "x".repeat(3000), null, null, 404, "not found"),
                new Case("alice", "GET", "/api/auth/../../../../etc/passwd", null, null, 400, MALFORMED)));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsAClearClientError(Case c, TestServer.Running server) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!c.who().equals("nobody")) {
            headers.put("Cookie", cookies.computeIfAbsent(c.who(), who -> server.signedIn(who).sessionCookie()));
        }
        if (c.contentType() != null) {
            headers.put("Content-Type", c.contentType());
        }
        RawHttp.Answer answer = RawHttp.send(server.baseUrl(), c.method(), c.target(), headers,
                c.body() == null && c.method().equals("POST") ? new byte[0] : c.body());
        assertEquals(c.status(), answer.status(), answer.head() + "\n\n" + answer.body());
        assertFalse(LEAK.matcher(answer.body()).find(), "the answer shows internals: " + answer.body());
        JsonNode json = JSON.readTree(answer.body());
        String error = json.path("error").asText("");
        assertTrue(Pattern.compile(c.message(), Pattern.DOTALL).matcher(error).matches(),
                "error '" + error + "' does not match '" + c.message() + "'");
        assertEquals(1, json.size(), "only an error: " + answer.body());
    }

    @ParameterizedTest(name = "attach {0} ? {1}")
    @CsvSource(delimiter = '|', value = {
        "zzz                                     | envId=1    | 4404",
        "0123456789abcdef0123456789abcdef        | envId=1    | 4404",
        "0123456789abcdef0123456789abcdef        | envId=x    | 4404",
        "0123456789abcdef0123456789abcdef        | envId=1%00 | 4404",
        "0123456789abcdef0123456789abcdef        | envId=-1   | 4404",
        "0123456789abcdef0123456789abcdef        | ''         | 4404",
    })
    void hostileAttachParametersCloseWithAReason(String execId, String query, int code, TestServer.Running server) {
        TerminalClient.Closed closed = server.signedIn("alice").attach(execId, query).awaitClose();
        assertEquals(code, closed.code(), closed.toString());
        assertEquals("unknown, expired or already used exec instance", closed.reason());
    }

    @Test
    void aVeryLongExecIdInTheHandshakeIsRefusedCleanly(TestServer.Running server) {
        TerminalClient.Closed closed = server.signedIn("alice").attach("f".repeat(3000), "envId=1").awaitClose();
        assertEquals(4404, closed.code());
    }

    @Test
    void aMessageOverTheLimitClosesWith1009AndTheServerStaysHealthy(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        // A process that reads: a terminal that stops reading stalls the socket before the limit is reached.
        TerminalClient text = alice.terminal("ph-busybox");
        text.type("stty raw -echo; cat >/dev/null\n");
        text.type("#".repeat((1 << 20) + 1));
        TerminalClient.Closed closed = text.awaitClose();
        assertEquals(1009, closed.code());
        assertEquals("message too big: the limit is 1048576 bytes", closed.reason());

        TerminalClient binary = alice.terminal("ph-busybox");
        binary.type("stty raw -echo; cat >/dev/null\n");
        binary.typeBinary(new byte[(1 << 20) + 1]);
        assertEquals(1009, binary.awaitClose().code());

        TerminalClient after = alice.terminal("ph-busybox");
        after.type("echo healthy-$((4000+9))\n");
        after.await("healthy-4009");
        after.close();
    }
}
