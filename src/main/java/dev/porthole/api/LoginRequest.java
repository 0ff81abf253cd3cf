package dev.porthole.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /api/auth/login}. */
@Schema(requiredProperties = {"username", "password"})
public record LoginRequest(String username, String password) {
}
