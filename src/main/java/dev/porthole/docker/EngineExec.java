package dev.porthole.docker;

import java.util.concurrent.CompletionStage;

/**
 * One terminal's exec instance on its engine, from its create to its end: what the terminal asks of the engine
 * about its own process. Made by {@link DockerEngine#terminalExec}, which may answer while the engine is still
 * creating the instance; every call that needs it waits for it, and throws the engine's refusal if the create
 * failed. Every failure is a {@link dev.porthole.error.PortholeException}. Thread-safe.
 */
public interface EngineExec {
    /** Completes once the engine made the instance, or exceptionally with its refusal. */
    CompletionStage<Void> created();

    /**
     * The engine's own id of the instance once it was made, for another node that attaches it; null where the
     * instance is only made when it starts (an agent's). Fails as {@link #created} does.
     */
    default CompletionStage<String> engineExecId() {
        return created().thenApply(made -> null);
    }

    /** Starts the exec and attaches to its terminal; called once. */
    ExecStream start();

    /** Sets the size of its terminal; only once it started. */
    void resize(int rows, int cols);

    /** Whether its process still runs, and its exit code once it does not (null when the engine knows none). */
    ExecState inspect();

    /**
     * How the processes it started are recognised in its container, for the process reaper: by the process tag its
     * environment was given, or, where the engine could not set that, by what was learnt when it started; null when
     * they cannot be found.
     */
    ProcessMark processMark();
}
