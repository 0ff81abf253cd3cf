package dev.porthole.docker;

/** What the engine says about an exec instance: still running, and its exit code once it is not. */
public record ExecState(boolean running, Integer exitCode) {
}
