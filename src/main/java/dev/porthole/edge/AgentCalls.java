package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.docker.EngineFailures;
import dev.porthole.docker.Environment;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Docker API calls through an environment's current agent, blocking the caller until the reply, with the
 * environment's read timeout. Answers map to the same problems as a direct engine's: 404 and 409 keep the
 * engine's words, any other failure status is a 500, and no agent, an agent error or a timeout a 502.
 */
final class AgentCalls {
    /** One reply: Docker's status and body bytes. */
    record Reply(int status, byte[] body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Environment environment;
    private final Supplier<Optional<AgentConnection>> agent;
    private final HawserMessages messages;

    /** Calls through whichever connection {@code agent} answers at the time of each call. */
    AgentCalls(Environment environment, Supplier<Optional<AgentConnection>> agent, HawserMessages messages) {
        this.environment = environment;
        this.agent = agent;
        this.messages = messages;
    }

    AgentConnection connection() {
        return agent.get().orElseThrow(() -> new PortholeException(Problem.ENGINE_UNREACHABLE,
                "the Hawser agent of " + environment + " is offline: no agent is connected"));
    }

    Reply call(String method, String path, JsonNode body) {
        try {
            JsonNode response = connection().request(method, path, body, environment.readTimeout()).join();
            return new Reply(response.path("statusCode").asInt(0), HawserMessages.responseBody(response));
        } catch (CompletionException e) {
            if (e.getCause() instanceof PortholeException p) {
                throw p;
            }
            throw new PortholeException(Problem.ENGINE_FAILED, "the call through the agent of " + environment
                    + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Calls and checks the status; {@code what} names the object for a 404 or 409. */
    Reply checked(String what, String method, String path, JsonNode body) {
        Reply reply = call(method, path, body);
        if (reply.ok()) {
            return reply;
        }
        throw failure(what, reply);
    }

    /** The problem a failed reply means, as a direct engine would report it. */
    PortholeException failure(String what, Reply reply) {
        String message = engineMessage(reply);
        Problem problem = EngineFailures.problemOf(reply.status());
        if (problem != Problem.ENGINE_FAILED) {
            return new PortholeException(problem, what + ": " + message);
        }
        return new PortholeException(problem, what + ": the engine of " + environment + " answered "
                + reply.status() + ": " + message);
    }

    JsonNode json(Reply reply) {
        return messages.readTree(reply.body());
    }

    private String engineMessage(Reply reply) {
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
