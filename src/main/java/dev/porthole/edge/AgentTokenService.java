package dev.porthole.edge;

import dev.porthole.docker.Environment;
import dev.porthole.docker.EnvironmentAdmin;
import jakarta.websocket.CloseReason;

/**
 * Issues the agent token of an edge environment: a new random token, shown to the admin once, whose SHA-256 is
 * written to the configuration file. Issuing again revokes the token before it, and the live connection it
 * authenticated is closed with 1000 "Token regenerated", as Dockhand does.
 */
public final class AgentTokenService {
    private final EnvironmentAdmin admin;
    private final EdgeAgents agents;
    private final AgentTokens tokens;

    public AgentTokenService(EnvironmentAdmin admin, EdgeAgents agents, AgentTokens tokens) {
        this.admin = admin;
        this.agents = agents;
        this.tokens = tokens;
    }

    /** The new token, in plain text; nothing keeps it but the caller's answer. */
    public String issue(String environmentId) {
        String token = tokens.newToken();
        Environment environment = admin.setAgentToken(environmentId, AgentTokens.sha256Hex(token));
        agents.disconnect(environment.id(), CloseReason.CloseCodes.NORMAL_CLOSURE, "Token regenerated");
        return token;
    }
}
