package dev.porthole.error;

import java.io.EOFException;

/**
 * Puts an exception into the words of an error message or a close reason. Many carry no message at all (an
 * {@link EOFException} from a connection that ended mid-read), and "null" must never reach people or the log.
 */
public final class Causes {
    private Causes() {
    }

    /** The exception's message, or when it has none, what kind of failure it was. */
    public static String of(Throwable failure) {
        String message = failure.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        if (failure instanceof EOFException) {
            return "the connection ended without a close";
        }
        return failure.getClass().getSimpleName();
    }
}
