package dev.porthole.api;

/** Every error answer: {@code {"error": "..."}}. */
public record ErrorBody(String error) {
}
