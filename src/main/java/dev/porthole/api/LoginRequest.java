package dev.porthole.api;

/** Body of {@code POST /api/auth/login}. */
public record LoginRequest(String username, String password) {
}
