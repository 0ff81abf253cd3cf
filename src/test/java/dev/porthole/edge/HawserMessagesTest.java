package dev.porthole.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HawserMessagesTest {
    private final ObjectMapper json = new ObjectMapper();
    private final HawserMessages messages = new HawserMessages(json);

    @Test
    void theWelcomeCarriesTheEnvironmentIdAsAnInteger() throws Exception {
        JsonNode welcome = json.readTree(messages.welcome(4));
        assertEquals("welcome", welcome.get("type").asText());
        assertTrue(welcome.get("environmentId").isInt());
        assertEquals(4, welcome.get("environmentId").asInt());
    }

    @Test
    void anErrorFillsBothFieldsThatAgentsRead() throws Exception {
        JsonNode error = json.readTree(messages.error("Invalid token"));
        assertEquals("Invalid token", error.get("error").asText());
        assertEquals("Invalid token", error.get("message").asText());
    }

    @Test
    void aRequestWithoutBodyHasNoBodyFieldAtAll() throws Exception {
        JsonNode request = json.readTree(messages.request("r1", "GET", "/containers/json?all=1", null));
        assertFalse(request.has("body"), request.toString());
        assertFalse(request.get("streaming").asBoolean());
        assertEquals("/containers/json?all=1", request.get("path").asText());
    }

    @Test
    void aJsonBodyIsEmbeddedAsJsonWithItsContentType() throws Exception {
        JsonNode body = messages.object(Map.of("Detach", false, "Tty", false));
        JsonNode request = json.readTree(messages.request("r2", "POST", "/exec/x/start", body));
        assertTrue(request.get("body").isObject(), request.toString());
        assertEquals("application/json", request.at("/headers/Content-Type").asText());
    }

    @Test
    void inputIsStandardBase64() throws Exception {
        byte[] bytes = {(byte) 0xfb, (byte) 0xff, 0x3e};
        JsonNode input = json.readTree(messages.execInput("e1", bytes, 0, 3));
        assertEquals("+/8+", input.get("data").asText());
        assertArrayEquals(bytes, HawserMessages.base64(input.get("data")));
    }

    @Test
    void aMessageEndingWithANewlineParses() {
        assertEquals("ping", messages.parse("{\"type\":\"ping\",\"timestamp\":1767000000}\n").get("type").asText());
        assertThrows(IllegalArgumentException.class, () -> messages.parse("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> messages.parse("{\"type\":"));
    }

    @Test
    void responseBodiesAreTextOrBase64() throws Exception {
        assertEquals("[]\n", new String(HawserMessages.responseBody(json.readTree(
                "{\"type\":\"response\",\"statusCode\":200,\"body\":\"[]\\n\"}")), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 'x'}, HawserMessages.responseBody(json.readTree(
                "{\"type\":\"response\",\"statusCode\":200,\"body\":\"AQAAAAAAAAF4\",\"isBinary\":true}")));
        assertEquals(0, HawserMessages.responseBody(json.readTree("{\"type\":\"response\",\"statusCode\":204}")).length);
    }
}
