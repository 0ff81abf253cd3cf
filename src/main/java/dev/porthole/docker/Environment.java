package dev.porthole.docker;

import java.net.URI;
import java.time.Duration;

/** One configured Docker engine: its id in {@code envId}, a name for people, and where it listens. */
public record Environment(int id, String name, URI dockerHost, Duration connectTimeout, Duration readTimeout) {

    public ConnectionInfo connectionInfo() {
        return ConnectionInfo.of(dockerHost, false);
    }

    @Override
    public String toString() {
        return "environment " + id + " (" + name + ")";
    }
}
