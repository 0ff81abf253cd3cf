package dev.porthole.api;

import java.util.List;

/** Body of {@code POST /api/tokens}: whom the token acts as, with which roles, and a note for people. */
public record TokenRequest(String user, List<String> roles, String note) {
}
