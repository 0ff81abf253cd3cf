package dev.porthole.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;

/**
 * Reads request bodies strictly: unknown fields, wrong types and deep nesting are 400s with a clear message.
 * An empty body stands for {@code {}}, since every field of every body has a default or is checked later.
 */
final class JsonBodies {
    static final int MAX_BODY_CHARS = 64 * 1024;

    private final ObjectMapper mapper;

    JsonBodies() {
        mapper = new ObjectMapper();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
        // A second "shell" would otherwise silently win over the first: whatever checked the first saw the wrong one.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        for (CoercionInputShape shape : new CoercionInputShape[] {
                CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
    }

    <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            body = "{}";
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw PortholeException.badRequest("request body is larger than " + MAX_BODY_CHARS + " characters");
        }
        T value;
        try {
            value = mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw PortholeException.badRequest("malformed JSON body: " + Printable.of(e.getOriginalMessage(), 200));
        }
        if (value == null) {
            throw PortholeException.badRequest("the body must be a JSON object"); // the body was the JSON literal null
        }
        return value;
    }
}
