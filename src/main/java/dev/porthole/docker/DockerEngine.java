package dev.porthole.docker;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

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
     * The exec instance of a new terminal: {@code shell} with a TTY, as {@code user}, in {@code container}, its
     * processes marked with {@code processTag} where the engine can set their environment. The engine may create
     * it on {@code behind} and answer at once, so that its create overlaps the client's handshake, and otherwise
     * checks or creates it before answering, and throws the engine's refusal.
     */
    EngineExec terminalExec(String container, String shell, String user, String processTag, Executor behind);

    /**
     * A handle to an exec instance another node created for a terminal with {@link #terminalExec} of
     * {@code shell} as {@code user} in {@code container}: its engine id may still be on its way
     * ({@code engineExecId}), and every call that needs it waits for it as the creating node's own handle would.
     * An engine whose instances are made only when they start makes its own here instead.
     */
    default EngineExec adoptTerminalExec(String container, String shell, String user,
            CompletionStage<String> engineExecId, String processTag) {
        throw new PortholeException(Problem.CONFLICT, environment() + " cannot run a terminal created on another node");
    }

    /**
     * Takes over the ending of processes a dead node's terminal left, when no node reaches this engine now but one
     * may later (an agent's engine whose agent is connected to no node): they are ended once one does. Answers
     * whether it took them; when not, the caller ends them now.
     */
    default boolean endWhenBack(String container, ProcessMark mark) {
        return false;
    }

    /** Whether the container runs; false also when it is gone. */
    boolean isRunning(String container);

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
