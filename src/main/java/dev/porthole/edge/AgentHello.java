package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.error.Printable;
import java.util.ArrayList;
import java.util.List;

/**
 * What an agent says of itself in its {@code hello}. The token is not kept here: only its hash, long enough to
 * find the environment. From 0.2.14 {@code version} is the agent's build and {@code protocol} is "1.0"; before,
 * {@code version} was the protocol ("1.0") and there was no {@code protocol} field.
 *
 * <p>Every field but the token is the agent's own description of itself, unchecked: it is made printable here (no
 * line breaks or other control characters, bounded length), since it goes into the log and the environment listing.
 */
record AgentHello(String tokenHash, String version, String protocol, String agentId, String agentName,
        String hostname, String dockerVersion, List<String> capabilities) {
    private static final int MAX_FIELD = 128;

    /**
     * Reads a hello. The hash is computed from {@code token}, the only credential: newer agents also send
     * {@code tokenHash}, but that is what the configuration file stores, so it proves nothing and is ignored.
     * Null without a token.
     */
    static AgentHello of(JsonNode hello) {
        JsonNode token = hello.get("token");
        String hash = token == null || !token.isTextual() || token.asText().isEmpty() ? null
                : AgentTokens.sha256Hex(token.asText());
        String version = text(hello, "version");
        String protocol = text(hello, "protocol");
        if (protocol == null) {
            protocol = version; // before 0.2.14 "version" held the protocol and the build was not sent
            version = null;
        }
        List<String> capabilities = new ArrayList<>();
        hello.path("capabilities").forEach(c -> {
            if (capabilities.size() < 32) {
                capabilities.add(Printable.of(c.asText(), MAX_FIELD));
            }
        });
        return new AgentHello(hash, version, protocol, text(hello, "agentId"), text(hello, "agentName"),
                text(hello, "hostname"), text(hello, "dockerVersion"), List.copyOf(capabilities));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isEmpty() ? null
                : Printable.of(value.asText(), MAX_FIELD);
    }

    /** How logs and close reasons name the agent. */
    String describe() {
        return "Hawser agent '" + (agentName != null ? agentName : hostname != null ? hostname : "?") + "'";
    }

    @Override
    public String toString() {
        return describe(); // never the token hash
    }
}
