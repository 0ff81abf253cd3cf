package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /api/containers} and {@code GET /api/containers/{id}/shells} against the real engine. */
@ExtendWith(TestServer.class)
class ContainerApiIT {

    @Test
    void listsContainersWithIdNamesImageStateAndStatus(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").get("api/containers?envId=1");
        assertEquals(200, r.status(), r.body());
        JsonNode busybox = byName(r.json(), "ph-busybox");
        assertTrue(busybox.get("id").asText().matches("[0-9a-f]{64}"), r.body());
        assertEquals("porthole/busybox:test", busybox.get("image").asText());
        assertEquals("running", busybox.get("state").asText());
        assertTrue(busybox.get("status").asText().startsWith("Up"), r.body());
        assertEquals("created", byName(r.json(), "ph-stopped").get("state").asText());
    }

    @Test
    void theListIsSortedByName(TestServer.Running server) {
        JsonNode list = server.signedIn("alice").get("api/containers?envId=1").json();
        List<String> names = new ArrayList<>();
        list.forEach(c -> names.add(c.get("names").get(0).asText()));
        assertEquals(names.stream().sorted().toList(), names);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "api/containers                  | 400 | envId is required",
        "api/containers?envId=           | 400 | envId is required",
        "api/containers?envId=abc        | 400 | envId must be a number, not 'abc'",
        "api/containers?envId=99         | 404 | unknown environment 99",
        "api/containers/ph-bash/shells   | 400 | envId is required",
        "api/containers/ph-bash/shells?envId=x  | 400 | envId must be a number, not 'x'",
        "api/containers/ph-bash/shells?envId=99 | 404 | unknown environment 99",
        "api/containers/no-such-container/shells?envId=1 | 404 | container no-such-container: No such container: no-such-container",
        "api/containers/-x/shells?envId=1 | 400 | container must be a container id, id prefix or name, not '-x'",
    })
    void badRequestsGetAClearError(String path, int status, String message, TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").get(path.trim());
        assertEquals(status, r.status(), r.body());
        assertEquals(message.trim(), r.error());
    }

    @Test
    void anUnreachableEngineIs502(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").get("api/containers?envId=2");
        assertEquals(502, r.status(), r.body());
        assertTrue(r.error().startsWith("environment 2 (dead engine) is unreachable"), r.body());
        assertFalse(r.body().contains("Exception"), r.body());
    }

    @Test
    void theShellsOfAContainerAreFoundBestFirst(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").get("api/containers/ph-bash/shells?envId=1");
        assertEquals(200, r.status(), r.body());
        assertEquals("[\"/bin/bash\",\"/bin/ash\",\"/bin/sh\"]", r.body());
    }

    @Test
    void aContainerWithoutAShellHasAnEmptyList(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").get("api/containers/ph-noshell/shells?envId=1");
        assertEquals(200, r.status(), r.body());
        assertEquals("[]", r.body());
    }

    @Test
    void aStoppedContainerHasNoShellsToOffer(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("alice").get("api/containers/ph-stopped/shells?envId=1");
        assertEquals(409, r.status(), r.body());
        assertTrue(r.error().contains("is not running"), r.error());
    }

    @Test
    void findingShellsNeedsTheExecRole(TestServer.Running server) {
        ApiClient.Response r = server.signedIn("bob").get("api/containers/ph-bash/shells?envId=1");
        assertEquals(403, r.status());
        assertEquals("you may not open terminals in environment 1 (test engine)", r.error());
        assertEquals(200, server.signedIn("admin").get("api/containers/ph-bash/shells?envId=1").status());
    }

    @Test
    void bothWantASession(TestServer.Running server) {
        ApiClient anonymous = server.client();
        assertEquals(401, anonymous.get("api/containers?envId=1").status());
        assertEquals(401, anonymous.get("api/containers/ph-bash/shells?envId=1").status());
    }

    private static JsonNode byName(JsonNode list, String name) {
        for (JsonNode c : list) {
            for (JsonNode n : c.get("names")) {
                if (n.asText().equals(name)) {
                    return c;
                }
            }
        }
        throw new AssertionError("no container " + name + " in " + list);
    }
}
