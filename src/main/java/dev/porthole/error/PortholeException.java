package dev.porthole.error;

import java.time.Duration;
import java.util.Optional;

/** A failure whose message is safe and useful to show to the client, classified by a {@link Problem}. */
public final class PortholeException extends RuntimeException {
    private final Problem problem;
    private final Duration retryAfter;

    public PortholeException(Problem problem, String message) {
        this(problem, message, (Duration) null);
    }

    public PortholeException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.retryAfter = null;
    }

    /** A refusal that should be tried again after {@code retryAfter} (HTTP's {@code Retry-After}). */
    public PortholeException(Problem problem, String message, Duration retryAfter) {
        super(message);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    /** When to try again, for a refusal that will pass later. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public static PortholeException badRequest(String message) {
        return new PortholeException(Problem.BAD_REQUEST, message);
    }

    public static PortholeException notFound(String message) {
        return new PortholeException(Problem.NOT_FOUND, message);
    }

    public static PortholeException forbidden(String message) {
        return new PortholeException(Problem.FORBIDDEN, message);
    }
}
