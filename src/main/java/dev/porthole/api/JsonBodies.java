package dev.porthole.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads request bodies strictly: unknown fields, wrong types (no text for a number, no number for text, no
 * fractions for whole numbers) and deep nesting are 400s with a clear message, in Porthole's words: the JSON
 * library's own messages name Java classes and its settings. An empty body stands for {@code {}}, since every field
 * of every body has a default or is checked later.
 */
final class JsonBodies {
    static final int MAX_BODY_CHARS = 64 * 1024;
    private static final int MAX_DEPTH = 16;
    private static final String MALFORMED = "malformed JSON body: ";
    /** The one part of the library's wording read here: which field came twice (it has no accessor for it). */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);

    private final ObjectMapper mapper;

    JsonBodies() {
        mapper = new ObjectMapper();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
        // A second "shell" would otherwise silently win over the first: whatever checked the first saw the wrong one.
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (CoercionInputShape shape : new CoercionInputShape[] {
                CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    }

    <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            body = "{}";
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw PortholeException.badRequest("request body is larger than " + MAX_BODY_CHARS + " characters");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw PortholeException.badRequest(MALFORMED + syntax(e));
        }
        if (tree == null || tree.isNull()) {
            throw PortholeException.badRequest("the body must be a JSON object"); // the body was the JSON literal null
        }
        if (!tree.isObject()) {
            throw PortholeException.badRequest(MALFORMED + "the body must be a JSON object, not " + kind(tree));
        }
        try {
            return mapper.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            throw PortholeException.badRequest(MALFORMED + "unknown field '" + Printable.of(e.getPropertyName(), 64)
                    + "'; the fields are " + names(e.getKnownPropertyIds()));
        } catch (MismatchedInputException e) {
            throw PortholeException.badRequest(MALFORMED + "'" + path(e) + "' must be " + expected(e.getTargetType()));
        } catch (JsonMappingException e) {
            throw PortholeException.badRequest(MALFORMED + "'" + path(e) + "' has a value that does not fit it");
        } catch (JsonProcessingException e) {
            throw PortholeException.badRequest(MALFORMED + syntax(e));
        }
    }

    private static String syntax(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "it is nested deeper than " + MAX_DEPTH + " levels";
        }
        if (e instanceof JsonEOFException) {
            return "it ends before the JSON value does";
        }
        if (e instanceof MismatchedInputException) {
            return "there is more after the JSON object";
        }
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.matches()) {
            return "duplicate field '" + Printable.of(duplicate.group(1), 64) + "'";
        }
        return e.getLocation() == null ? "it is not JSON"
                : "it is not JSON (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String kind(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return "text";
        }
        if (node.isNumber()) {
            return "a number";
        }
        return node.isBoolean() ? node.asText() : "that";
    }

    /** Where in the body: {@code shell}, {@code roles[0]}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(Printable.of(step.getFieldName(), 64));
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "the body" : path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class || type.isEnum()) {
            return "text";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : "of another type";
    }

    private static String names(Collection<Object> known) {
        return known == null || known.isEmpty() ? "none"
                : new TreeSet<>(known.stream().map(String::valueOf).toList()).stream().collect(Collectors.joining(", "));
    }
}
