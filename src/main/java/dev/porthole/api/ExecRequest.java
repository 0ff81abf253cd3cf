package dev.porthole.api;

/** Body of {@code POST /api/containers/{id}/exec}; either field may be left out. */
public record ExecRequest(String shell, String user) {
}
