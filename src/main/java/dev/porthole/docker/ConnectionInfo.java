package dev.porthole.docker;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How this server reaches an environment's engine, exactly one of
 * {@code {"type":"socket","host":"/var/run/docker.sock"}} (host is the socket's path, no port) or
 * {@code {"type":"http"|"https","host":"10.0.0.5","port":2375}}. Made by {@link Environment#connectionInfo()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionInfo(String type, String host, Integer port) {
}
