package dev.porthole.terminal;

import dev.porthole.error.Problem;
import java.time.Duration;
import java.time.Instant;

/**
 * Watches terminals without being part of the relay: an audit log, a session recorder, the metrics. Called on the
 * relay's and the container's threads, so an observer must not block for long; one that fails is logged and ignored.
 */
public interface TerminalObserver {
    /** What is known of a terminal when it starts. */
    record Terminal(String execId, int environmentId, String environmentName, String container, String shell,
            String user, String owner, String clientAddress, Instant started) {
    }

    /**
     * An exec create on environment {@code environmentId} was answered after {@code took}; {@code refusal} is null
     * when it succeeded, else the problem it was refused with.
     */
    default void execCreated(int environmentId, Duration took, Problem refusal) {
    }

    /** A terminal was attached and its exec is about to start; answers what watches this one terminal. */
    Watch started(Terminal terminal);

    /** What watches one terminal, for its life. */
    interface Watch {
        /** Keystrokes as they went to the process. */
        default void input(int length) {
        }

        /** Output as it goes to the client; the bytes are only valid during the call. */
        default void output(byte[] bytes, int offset, int length) {
        }

        default void resized(TerminalSize size) {
        }

        /** {@code exitCode} is null unless the process exited and the engine reported its code. */
        void ended(Ending why, Integer exitCode, long bytesIn, long bytesOut);
    }

    /** Watches nothing. */
    TerminalObserver NONE = terminal -> (why, exitCode, bytesIn, bytesOut) -> { };

    /** Tells {@code first}, then {@code second}; a failure of one does not keep the other from being told. */
    static TerminalObserver both(TerminalObserver first, TerminalObserver second) {
        return new BothObservers(first, second);
    }

    /** Tells {@code observer} of every terminal except those on environments {@code unlisted} says are. */
    static TerminalObserver listedOnly(java.util.function.IntPredicate unlisted, TerminalObserver observer) {
        return new ListedOnly(unlisted, observer);
    }
}
