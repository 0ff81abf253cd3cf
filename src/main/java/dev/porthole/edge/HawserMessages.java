package dev.porthole.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The Hawser edge protocol's messages, both ways: one JSON object per WebSocket text message, with a string
 * {@code type}. Server to agent: {@code welcome}, {@code error}, {@code ping}, {@code pong}, {@code request},
 * {@code exec_start}, {@code exec_input}, {@code exec_resize}, {@code exec_end}. Agent to server: {@code hello},
 * {@code ping}, {@code pong}, {@code response}, {@code error}, {@code stream}, {@code stream_end},
 * {@code exec_ready}, {@code exec_output}, {@code exec_end}, {@code metrics}, {@code container_event}.
 *
 * <p>Rules the agent imposes: numbers it reads are JSON integers; binary data is standard base64 (not base64url);
 * a request with no body has no {@code body} field at all (a {@code null} would reach Docker as the text "null"),
 * and a JSON body is embedded as JSON, since the agent forwards its raw text.
 */
public final class HawserMessages {
    private final ObjectMapper json;

    public HawserMessages(ObjectMapper json) {
        this.json = json;
    }

    /** Parses one message from the agent; it ends with a newline, which JSON allows. */
    public JsonNode parse(String text) {
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject() || !node.path("type").isTextual()) {
                throw new IllegalArgumentException("not a message: a JSON object with a string type is expected");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public String welcome(int environmentId) {
        ObjectNode m = message("welcome");
        m.put("environmentId", environmentId); // the agent aborts on anything but an integer here
        m.put("message", "Connected to Porthole");
        m.put("serverId", "porthole");
        m.put("version", "1.0");
        return write(m);
    }

    /** Older agents read {@code error}, newer servers fill {@code message}: both, as the notes advise. */
    public String error(String text) {
        return write(message("error").put("error", text).put("message", text));
    }

    public String ping(long millis) {
        return write(message("ping").put("timestamp", millis));
    }

    public String pong(long millis) {
        return write(message("pong").put("timestamp", millis));
    }

    /** A buffered Docker API call; {@code jsonBody} null for none. */
    public String request(String requestId, String method, String path, JsonNode jsonBody) {
        ObjectNode m = message("request").put("requestId", requestId).put("method", method).put("path", path);
        ObjectNode headers = m.putObject("headers");
        if (jsonBody != null) {
            headers.put("Content-Type", "application/json");
            m.set("body", jsonBody);
        }
        m.put("streaming", false);
        return write(m);
    }

    public String execStart(String execId, String containerId, String cmd, String user, int cols, int rows) {
        return write(message("exec_start").put("execId", execId).put("containerId", containerId).put("cmd", cmd)
                .put("user", user).put("cols", cols).put("rows", rows));
    }

    public String execInput(String execId, byte[] bytes, int offset, int length) {
        String data = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
        return write(message("exec_input").put("execId", execId).put("data", data));
    }

    public String execResize(String execId, int cols, int rows) {
        return write(message("exec_resize").put("execId", execId).put("cols", cols).put("rows", rows));
    }

    public String execEnd(String execId, String reason) {
        return write(message("exec_end").put("execId", execId).put("reason", reason));
    }

    /** The bytes of a binary field: standard base64, as the agent always encodes them. */
    public static byte[] base64(JsonNode field) {
        return Base64.getDecoder().decode(field.asText(""));
    }

    /** A {@code response}'s body as bytes: base64 when {@code isBinary}, else the UTF-8 of the text; empty when absent. */
    public static byte[] responseBody(JsonNode response) {
        JsonNode body = response.get("body");
        if (body == null || body.isNull()) {
            return new byte[0];
        }
        if (response.path("isBinary").asBoolean(false)) {
            return base64(body);
        }
        return body.isTextual() ? body.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8); // v0.0.9 embedded raw JSON
    }

    public ObjectNode object(Map<String, ?> fields) {
        return json.valueToTree(fields);
    }

    public byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }

    public JsonNode readTree(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private ObjectNode message(String type) {
        return json.createObjectNode().put("type", type);
    }

    private String write(ObjectNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }
}
