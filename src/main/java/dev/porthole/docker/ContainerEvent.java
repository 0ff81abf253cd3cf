package dev.porthole.docker;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One container event from the engine's {@code GET /events}: what happened ({@code start}, {@code die},
 * {@code rename}, ...), to which container (full id), and the container's name after it, without the leading '/'.
 */
record ContainerEvent(String action, String id, String name) {

    /** Reads an event as the engine writes it; the fields of API versions before 1.22 are the fallback. */
    static ContainerEvent of(JsonNode json) {
        String action = text(json.get("Action"), text(json.get("status"), ""));
        JsonNode actor = json.path("Actor");
        String id = text(actor.get("ID"), text(json.get("id"), null));
        String name = text(actor.path("Attributes").get("name"), null);
        if (name != null && name.startsWith("/")) {
            name = name.substring(1);
        }
        return new ContainerEvent(action, id, name);
    }

    private static String text(JsonNode node, String otherwise) {
        return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : otherwise;
    }
}
