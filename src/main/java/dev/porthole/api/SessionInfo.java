package dev.porthole.api;

import java.util.Set;

/** Who is signed in, as {@code GET /api/auth/session} and the sign-in answer it. */
public record SessionInfo(String username, Set<String> roles) {
}
