package dev.porthole.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The agent of an edge environment as {@code GET /api/environments} shows it: whether one is connected now, what
 * it said of itself in its hello, and when it was last heard from (ISO-8601, null if never since the start).
 * {@code version} is the agent's build; agents before 0.2.14 did not send it (their {@code version} field held the
 * protocol), so it is null for them and {@code protocol} is "1.0". Serializable: in a cluster, the other nodes show
 * an agent's status as it was at its hello.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentStatus(boolean connected, String version, String protocol, String agentName, String hostname,
        String dockerVersion, List<String> capabilities, String lastSeen) implements java.io.Serializable {

    public static final AgentStatus NEVER_SEEN = new AgentStatus(false, null, null, null, null, null, null, null);
}
