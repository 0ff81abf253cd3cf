package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /api/environments}: every environment, and whether its engine answers. */
@ExtendWith(TestServer.class)
class EnvironmentApiIT {

    @Test
    void listsEachEnvironmentWithItsConnectionAndAReachableEngine(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").get("api/environments");
        assertEquals(200, r.status(), r.body());
        JsonNode first = r.json().get(0);
        assertEquals(1, first.get("id").asInt());
        assertEquals("test engine", first.get("name").asText());
        assertEquals("socket", first.at("/connectionInfo/type").asText());
        assertEquals(TestServer.ENGINE.substring("unix://".length()), first.at("/connectionInfo/host").asText());
        assertTrue(first.at("/engine/reachable").asBoolean(), r.body());
        assertFalse(first.get("engine").has("error"), r.body());
    }

    @Test
    void anEngineThatDoesNotAnswerIsListedAsUnreachableWithItsCause(TestServer.Running server) {
        long start = System.nanoTime();
        ApiClient.Response r = server.signedIn("alice").get("api/environments");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.status(), r.body());
        JsonNode dead = r.json().get(1);
        assertEquals(2, dead.get("id").asInt());
        assertEquals("dead engine", dead.get("name").asText());
        assertFalse(dead.at("/engine/reachable").asBoolean(true), r.body());
        assertTrue(dead.at("/engine/error").asText().startsWith("environment 2 (dead engine) is unreachable: "),
                r.body());
        assertTrue(millis < 3000, "the list took " + millis + " ms");
    }

    @Test
    void eachPersonSeesOnlyTheEnvironmentsTheirRolesShow(TestServer.Running server) {
        ApiClient.Response none = server.signedIn("bob").get("api/environments");
        assertEquals(200, none.status(), none.body());
        assertEquals(0, none.json().size(), none.body());
        ApiClient.Response some = server.signedIn("carol").get("api/environments");
        List<Integer> ids = new java.util.ArrayList<>();
        some.json().forEach(e -> ids.add(e.get("id").asInt()));
        assertEquals(List.of(1, 3), ids, some.body());
        assertEquals(403, server.signedIn("bob").get("api/containers?envId=1").status());
    }

    @Test
    void theListWantsASession(TestServer.Running server) {
        ApiClient.Response r = server.client().get("api/environments");
        assertEquals(401, r.status());
        assertEquals("sign in first", r.error());
    }
}
