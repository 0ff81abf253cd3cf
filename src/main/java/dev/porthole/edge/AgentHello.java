package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What an agent says of itself in its {@code hello}. The token is not kept here: only its hash, long enough to
 * find the environment. From 0.2.14 {@code version} is the agent's build and {@code protocol} is "1.0"; before,
 * {@code version} was the protocol ("1.0") and there was no {@code protocol} field.
 */
record AgentHello(String tokenHash, String version, String protocol, String agentId, String agentName,
        String hostname, String dockerVersion, List<String> capabilities) {

    /** Reads a hello; the hash is the agent's {@code tokenHash}, or computed from {@code token}. Null if neither. */
    static AgentHello of(JsonNode hello) {
        String token = text(hello, "token");
        String hash = text(hello, "tokenHash");
        if (hash == null && token != null) {
            hash = AgentTokens.sha256Hex(token);
        } else if (hash != null && token != null && !AgentTokens.sameHash(hash, AgentTokens.sha256Hex(token))) {
            hash = AgentTokens.sha256Hex(token); // the token itself is the credential; a stray hash does not override it
        }
        String version = text(hello, "version");
        String protocol = text(hello, "protocol");
        if (protocol == null) {
            protocol = version; // before 0.2.14 "version" held the protocol and the build was not sent
            version = null;
        }
        List<String> capabilities = new ArrayList<>();
        hello.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        return new AgentHello(hash, version, protocol, text(hello, "agentId"), text(hello, "agentName"),
                text(hello, "hostname"), text(hello, "dockerVersion"), List.copyOf(capabilities));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
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
