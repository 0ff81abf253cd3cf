package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeEnvironmentSpecTest {
    private static final EnvironmentSpec.Defaults DEFAULTS = new EnvironmentSpec.Defaults(Duration.ofSeconds(5), Duration.ofSeconds(60));
    private static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static EnvironmentSpec edge(String url, String hash) {
        return new EnvironmentSpec(null, "nas", url, null, null, null, null, "hawser-edge", hash);
    }

    @Test
    void anEdgeEnvironmentHasNoUrlAndSaysItsType() {
        Environment environment = edge(null, HASH).resolve(4, DEFAULTS);
        assertTrue(environment.isEdge());
        assertEquals(new ConnectionInfo("hawser-edge", null, null), environment.connectionInfo());
        assertEquals(HASH, environment.agentTokenSha256());
        assertNull(edge(null, null).resolve(4, DEFAULTS).agentTokenSha256());
    }

    @Test
    void anEdgeEnvironmentRefusesAUrlAndABadHash() {
        assertThrows(IllegalArgumentException.class, () -> edge("tcp://h:2375", null).resolve(4, DEFAULTS));
        assertThrows(IllegalArgumentException.class, () -> edge(null, "not-hex").resolve(4, DEFAULTS));
        assertThrows(IllegalArgumentException.class, () -> new EnvironmentSpec(null, "e", "tcp://h", null, null, null,
                null, "kubernetes", null).resolve(4, DEFAULTS));
    }

    @Test
    void theHashIsWrittenToTheFileButNeverReadFromABody() throws Exception {
        Map<String, String> lines = edge(null, HASH).toProperties(4);
        assertEquals("hawser-edge", lines.get("environments.4.type"));
        assertEquals(HASH, lines.get("environments.4.agent-token-sha256"));
        EnvironmentSpec fromBody = new ObjectMapper().readValue(
                "{\"name\":\"x\",\"type\":\"hawser-edge\",\"agentTokenSha256\":\"" + HASH + "\"}", EnvironmentSpec.class);
        assertNull(fromBody.agentTokenSha256());
        assertTrue(!new ObjectMapper().writeValueAsString(edge(null, HASH)).contains(HASH));
    }
}
