package dev.porthole.security;

import dev.porthole.docker.Environment;
import java.util.Optional;

/** The exec instances waiting for their terminal socket, as the handshake's authorisation needs to see them. */
@FunctionalInterface
public interface WaitingExecs {
    /** The environment of exec instance {@code execId}, if it waits to be attached by {@code credential}. */
    Optional<Environment> environmentOf(String execId, String credential);
}
