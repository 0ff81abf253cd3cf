package dev.porthole.docker;

/** One environment as {@code GET /api/environments} lists it. */
public record EnvironmentSummary(int id, String name, ConnectionInfo connectionInfo, EngineStatus engine) {
}
