package dev.porthole.terminal;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.wire.CloseReasons;

/**
 * How a terminal ends: the close its client gets (the code from the {@link Problem} table, and a reason) and why it
 * ended, for the observers; {@code exitCode} only when the process exited and the engine said with what.
 */
public record Close(Problem problem, String reason, Ending why, Integer exitCode) {
    /** How a terminal whose credential ended closes. */
    static final String SIGNED_OUT = "signed out";

    public Close(Problem problem, String reason, Ending why) {
        this(problem, reason, why, null);
    }

    public int code() {
        return problem.closeCode();
    }

    /** The process exited with {@code exitCode} (null: unknown), its container perhaps with it. */
    static Close exited(Integer exitCode, boolean containerStopped) {
        String reason = CloseReasons.exited(exitCode) + (containerStopped ? ": container stopped" : "");
        return new Close(Problem.ENDED, reason, Ending.EXIT, exitCode);
    }

    static Close failed(PortholeException e) {
        return new Close(e.problem(), e.getMessage(), Ending.ERROR);
    }

    static Close clientClosed() {
        return new Close(Problem.ENDED, "client closed", Ending.CLIENT_CLOSED);
    }

    /** The client stopped reading, answering pings, or its connection broke, as {@code reason} says. */
    static Close clientGone(String reason) {
        return new Close(Problem.GOING_AWAY, reason, Ending.CLIENT_GONE);
    }

    /** The credential that created or attached the terminal ended, as {@code why} says. */
    static Close signedOut(Ending why) {
        return new Close(Problem.UNAUTHENTICATED, SIGNED_OUT, why);
    }

    public static Close shutdown() {
        return new Close(Problem.GOING_AWAY, "server is shutting down", Ending.SHUTDOWN);
    }
}
