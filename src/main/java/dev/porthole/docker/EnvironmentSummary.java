package dev.porthole.docker;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One environment as {@code GET /api/environments} lists it; {@code agent} only for a hawser-edge environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentSummary(int id, String name, ConnectionInfo connectionInfo, EngineStatus engine,
        AgentStatus agent) {
}
