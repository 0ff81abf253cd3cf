package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ExecState;

/**
 * Why a terminal's process ended, asked of the engine once its output ended: its exit code (null when the engine
 * recorded none in time), and whether its container stopped with it, which leaves nothing of it to end.
 */
record ProcessEnd(Integer exitCode, boolean containerStopped) {
    /** How often the engine is asked for the exit code once the stream ended, 20 ms apart. */
    private static final int EXIT_INSPECTIONS = 100;
    private static final long CONTAINER_CHECK_MILLIS = 50;

    /** Asks {@code engine}; throws the {@link dev.porthole.error.PortholeException} of an engine that cannot be asked. */
    static ProcessEnd of(DockerEngine engine, TerminalSpec spec) {
        ExecState state = ExecState.awaitEndIn(spec.exec()::inspect, EXIT_INSPECTIONS);
        Integer exitCode = state.running() ? null : state.exitCode();
        return new ProcessEnd(exitCode, containerStopped(engine, spec.container(), exitCode));
    }

    Close close() {
        return Close.exited(exitCode, containerStopped);
    }

    /**
     * The engine records the exec's exit a moment before the container's, so a death by signal (128 and up: 137 for
     * a kill, 143 for a stop) is given a second for the container's state to follow; an ordinary exit is not delayed.
     */
    private static boolean containerStopped(DockerEngine engine, String container, Integer exitCode) {
        int checks = exitCode == null || exitCode >= 128 ? 20 : 1;
        for (int i = 0; i < checks; i++) {
            if (!engine.isRunning(container)) {
                return true;
            }
            if (i + 1 < checks) {
                try {
                    Thread.sleep(CONTAINER_CHECK_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }
}
