package dev.porthole.error;

/**
 * Every failure Porthole reports, with the HTTP status a REST call answers and the WebSocket close code a
 * terminal closes with. The REST exception mapper and the terminal's close helper both read this table, and so
 * does every close of a terminal socket: the two ways a terminal ends with nothing wrong on Porthole's side
 * ({@link #ENDED}, {@link #GOING_AWAY}) are here too, so that no close code is written anywhere else.
 *
 * <p>Close codes 4000-4999 are the application range of RFC 6455; they mirror the HTTP status so that a
 * client can treat {@code 4404} on a socket like {@code 404} on a request.
 */
public enum Problem {
    /** Nothing went wrong: the process exited, or the client closed. Never an HTTP answer. */
    ENDED(200, 1000),
    /** One side went away: the server shuts down, the client stopped reading, the environment changed. */
    GOING_AWAY(503, 1001),
    BAD_REQUEST(400, 4400),
    UNAUTHENTICATED(401, 4401),
    FORBIDDEN(403, 4403),
    NOT_FOUND(404, 4404),
    CONFLICT(409, 4409),
    PAYLOAD_TOO_LARGE(413, 1009),
    UNSUPPORTED_MEDIA_TYPE(415, 4415),
    TOO_MANY(429, 4429),
    ENGINE_FAILED(500, 1011),
    INTERNAL(500, 1011),
    ENGINE_UNREACHABLE(502, 1011);

    private final int httpStatus;
    private final int closeCode;

    Problem(int httpStatus, int closeCode) {
        this.httpStatus = httpStatus;
        this.closeCode = closeCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int closeCode() {
        return closeCode;
    }
}
