package dev.porthole.error;

/** A failure whose message is safe and useful to show to the client, classified by a {@link Problem}. */
public final class PortholeException extends RuntimeException {
    private final Problem problem;

    public PortholeException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public PortholeException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
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
