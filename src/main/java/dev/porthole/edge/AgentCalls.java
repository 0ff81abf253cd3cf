package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.docker.EngineFailures;
import dev.porthole.docker.Environment;
import dev.porthole.edge.AgentPlaces.AgentReply;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Docker API calls through an environment's current agent, blocking the caller until the reply, with the
 * environment's read timeout. Answers map to the same problems as a direct engine's: 404 and 409 keep the
 * engine's words, any other failure status is a 500, and no agent, an agent error or a timeout a 502. When the agent
 * is connected to another node, the call is made there ({@link AgentPlaces}), and answers the same.
 */
final class AgentCalls {
    private final Environment environment;
    private final Supplier<Optional<AgentConnection>> agent;
    private final HawserMessages messages;
    private final AgentPlaces places;
    /** The token the agent must have proved on another node: null for whichever it proved. */
    private final String tokenSha256;

    /**
     * Calls through whichever connection {@code agent} answers at the time of each call, or when there is none here,
     * through the node {@code places} names.
     */
    AgentCalls(Environment environment, Supplier<Optional<AgentConnection>> agent, HawserMessages messages,
            AgentPlaces places) {
        this.environment = environment;
        this.agent = agent;
        this.messages = messages;
        this.places = places;
        this.tokenSha256 = environment.agentTokenSha256();
    }

    private AgentCalls(Environment environment, HawserMessages messages, AgentPlaces places) {
        this.environment = environment;
        this.agent = Optional::empty;
        this.messages = messages;
        this.places = places;
        this.tokenSha256 = null;
    }

    /** Calls through the agent of {@code environment} connected to another node, whatever token it proved. */
    static AgentCalls elsewhere(Environment environment, HawserMessages messages, AgentPlaces places) {
        return new AgentCalls(environment, messages, places);
    }

    AgentConnection connection() {
        return agent.get().orElseThrow(() -> new PortholeException(Problem.ENGINE_UNREACHABLE,
                "the Hawser agent of " + environment + " is offline: no agent is connected"));
    }

    AgentReply call(String method, String path, JsonNode body) {
        if (agent.get().isEmpty()) {
            Optional<AgentReply> routed = places.request(environment.id(), new AgentPlaces.AgentRequest(
                    tokenSha256, method, path, body == null ? null : messages.bytes(body)),
                    environment.readTimeout());
            if (routed.isPresent()) {
                return routed.get();
            }
        }
        return callHere(method, path, body);
    }

    /** Calls through this node's connection only: a call another node routed here goes no further. */
    AgentReply callHere(String method, String path, JsonNode body) {
        try {
            JsonNode response = connection().request(method, path, body, environment.readTimeout()).join();
            return new AgentReply(response.path("statusCode").asInt(0), HawserMessages.responseBody(response));
        } catch (CompletionException e) {
            if (e.getCause() instanceof PortholeException p) {
                throw p;
            }
            throw new PortholeException(Problem.ENGINE_FAILED, "the call through the agent of " + environment
                    + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Calls and checks the status; {@code what} names the object for a 404 or 409. */
    AgentReply checked(String what, String method, String path, JsonNode body) {
        AgentReply reply = call(method, path, body);
        if (reply.ok()) {
            return reply;
        }
        throw failure(what, reply);
    }

    /** The problem a failed reply means, as a direct engine would report it. */
    PortholeException failure(String what, AgentReply reply) {
        String message = engineMessage(reply);
        Problem problem = EngineFailures.problemOf(reply.status());
        if (problem != Problem.ENGINE_FAILED) {
            return new PortholeException(problem, what + ": " + message);
        }
        return new PortholeException(problem, what + ": the engine of " + environment + " answered "
                + reply.status() + ": " + message);
    }

    JsonNode json(AgentReply reply) {
        return messages.readTree(reply.body());
    }

    private String engineMessage(AgentReply reply) {
        try {
            JsonNode node = messages.readTree(reply.body());
            if (node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (IllegalArgumentException notJson) {
            // the text itself below
        }
        String text = reply.text().trim();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }
}
