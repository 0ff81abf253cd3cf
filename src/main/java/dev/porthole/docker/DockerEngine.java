package dev.porthole.docker;

import java.time.Duration;
import java.util.List;

/**
 * The engine of one environment, whatever carries the calls: a socket or TCP connection the server opens
 * ({@link DirectEngine}) or an agent that dialled in. Thread-safe; one instance per environment. Every failure is
 * a {@link dev.porthole.error.PortholeException} that says what failed and where.
 */
public interface DockerEngine extends AutoCloseable {
    Environment environment();

    /** Asks the engine whether it answers, within the ping timeout; throws the cause when it does not. */
    void ping();

    /** Every container of the engine, running or not. */
    List<ContainerSummary> containers();

    /**
     * Creates an exec instance and answers its id. {@code env} tags the terminal's processes so that
     * they can all be found and ended when it closes.
     */
    String createExec(String container, List<String> cmd, String user, List<String> env, boolean tty);

    /**
     * Whether {@code container} runs, by what the engine last told, without asking it: true when it certainly runs;
     * false otherwise, and the caller must ask the engine. Only the engine refuses: a container started a moment
     * ago may not be in the table yet, and a refusal is worded by the engine. An engine that keeps no such
     * knowledge always answers false.
     */
    default boolean knownToRun(String container) {
        return false;
    }

    /** Starts a TTY exec instance created by {@link #createExec} and attaches to it. */
    ExecStream startTty(String execId);

    void resize(String execId, int rows, int cols);

    /** Whether the container runs; false also when it is gone. */
    boolean isRunning(String container);

    ExecState inspect(String execId);

    /**
     * Runs a short non-interactive command, discards its output and answers its exit code, or null when the
     * engine reported none within {@code timeout}.
     */
    Integer run(String container, List<String> cmd, String user, Duration timeout);

    /**
     * Runs a short non-interactive command and answers its exit code (null if none within {@code timeout}) and
     * the first {@code maxBytes} of its standard output; standard error is dropped.
     */
    Captured capture(String container, List<String> cmd, String user, Duration timeout, int maxBytes);

    /**
     * How the processes of the terminal started from exec {@code execId} are recognised in its container, for the
     * process reaper: by default the {@code processTag} that {@link #createExec} put in their environment; an
     * engine that cannot set the environment answers what it learnt when the terminal started, or null.
     */
    default ProcessMark processMark(String execId, String processTag) {
        return ProcessMark.tagged(processTag);
    }

    /** The agent that carries this engine's calls, for engines that have one. */
    default java.util.Optional<AgentStatus> agent() {
        return java.util.Optional.empty();
    }

    /** What {@link #capture} saw: the exit code, or null if the command had not ended, and its output. */
    record Captured(Integer exitCode, String stdout) {
    }

    @Override
    void close();
}
