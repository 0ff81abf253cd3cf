package dev.porthole.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** Every error answer: {@code {"error": "..."}}. */
@Schema(description = "Every error answer", requiredProperties = "error")
public record ErrorBody(@Schema(description = "what went wrong, for people", example = "sign in first") String error) {
}
