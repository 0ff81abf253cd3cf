package dev.porthole.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How this server reaches an environment's engine, exactly one of
 * {@code {"type":"socket","host":"/var/run/docker.sock"}} (host is the socket's path, no port),
 * {@code {"type":"http"|"https","host":"10.0.0.5","port":2375}}, or {@code {"type":"hawser-edge"}} (an agent dials
 * in: no address). Made by {@link Environment#connectionInfo()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "How this server reaches the environment's engine, in one of three shapes: "
        + "{\"type\":\"socket\",\"host\":\"<socket path>\"} (no port); "
        + "{\"type\":\"http\"|\"https\",\"host\":\"<host>\",\"port\":<port>} (the port filled in even when the url "
        + "left it to the default, 2375 or 2376); {\"type\":\"hawser-edge\"} (an agent dials in: no host, no port).",
        requiredProperties = "type")
public record ConnectionInfo(@Schema(allowableValues = {"socket", "http", "https", "hawser-edge"}) String type,
        @Schema(description = "the socket's path, or the engine's host; absent for hawser-edge") String host,
        @Schema(description = "http and https only") Integer port) {
}
