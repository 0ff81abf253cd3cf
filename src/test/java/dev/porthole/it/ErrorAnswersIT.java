package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every answer carries the browser's defences, and every error is {@code {"error": "..."}} in Porthole's own words,
 * including the ones the servlet container gives before Porthole sees the request: a malformed path, a malformed
 * header, a method the container refuses, a file that does not exist. Requests go out byte for byte.
 */
@ExtendWith(TestServer.class)
class ErrorAnswersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> DEFENCES = Map.of(
            "x-frame-options", "DENY",
            "x-content-type-options", "nosniff",
            "referrer-policy", "no-referrer");

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("GET", "/api", Map.of(), 401),
                Arguments.of("GET", "/api/", Map.of(), 401),
                Arguments.of("GET", "/api;x", Map.of(), 401),
                Arguments.of("GET", "/api/health", Map.of(), 200),
                Arguments.of("GET", "/api/containers/a%2fb/shells?envId=1", Map.of(), 400),
                Arguments.of("GET", "/api/x%00y", Map.of(), 400),
                Arguments.of("GET", "/api/x%zz", Map.of(), 400),
                Arguments.of("GET", "/api/../../etc/passwd", Map.of(), 400),
                Arguments.of("GET", "/x%2fy.html", Map.of(), 400),
                Arguments.of("GET", "/no-such-page.html", Map.of(), 404),
                Arguments.of("TRACE", "/api/health", Map.of(), 405),
                Arguments.of("POST", "/api/auth/login", Map.of("Content-Type", "application/json; charset=\"utf-8"), 400),
                Arguments.of("POST", "/api/auth/login", Map.of("Content-Type", "/"), 400),
                Arguments.of("POST", "/api/auth/login", Map.of("Content-Type", ";;;"), 400),
                Arguments.of("GET", "/api/health", Map.of("Host", "a b"), 400),
                Arguments.of("GET", "/api/health", Map.of("X-Long", "h".repeat(20_000)), 400));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("answers")
    void everyAnswerCarriesTheDefencesAndErrorsAreJson(String method, String target, Map<String, String> headers,
            int status, TestServer.Running server) throws Exception {
        Map<String, String> sent = new LinkedHashMap<>(headers);
        byte[] body = method.equals("POST") ? "{}".getBytes(StandardCharsets.UTF_8) : null;
        RawHttp.Answer answer = RawHttp.send(server.baseUrl(), method, target, sent, body);
        assertEquals(status, answer.status(), answer.head() + "\n\n" + answer.body());
        Map<String, String> received = headers(answer.head());
        DEFENCES.forEach((name, value) -> assertEquals(value, received.get(name), name + " in\n" + answer.head()));
        assertTrue(received.getOrDefault("content-security-policy", "").contains("default-src"), answer.head());
        if (target.startsWith("/api")) {
            assertEquals("no-store", received.get("cache-control"), answer.head());
        }
        if (status >= 400) {
            assertTrue(received.getOrDefault("content-type", "").startsWith("application/json"), answer.head());
            JsonNode json = JSON.readTree(answer.body());
            assertEquals(1, json.size(), answer.body());
            String error = json.path("error").asText("");
            assertFalse(error.isBlank(), answer.body());
            assertFalse(Pattern.compile("Tomcat|Exception|java\\.|<").matcher(error).find(), error);
        }
    }

    private static Map<String, String> headers(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        head.lines().skip(1).forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
            }
        });
        return headers;
    }
}
