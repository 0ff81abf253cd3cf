package dev.porthole.edge;

import dev.porthole.docker.EnvironmentAdmin;

/**
 * Issues the agent token of an edge environment: a new random token, shown to the admin once, whose SHA-256 is
 * written to the configuration file. Issuing again revokes the token before it: the environment changes, so its
 * terminals close, and the live connection the old token authenticated is closed with 1000 "Token regenerated", as
 * Dockhand does, once their processes were ended through it ({@link Edge}).
 */
public final class AgentTokenService {
    private final EnvironmentAdmin admin;
    private final AgentTokens tokens;

    public AgentTokenService(EnvironmentAdmin admin, AgentTokens tokens) {
        this.admin = admin;
        this.tokens = tokens;
    }

    /** The new token, in plain text; nothing keeps it but the caller's answer. */
    public String issue(String environmentId) {
        String token = tokens.newToken();
        admin.setAgentToken(environmentId, AgentTokens.sha256Hex(token));
        return token;
    }
}
