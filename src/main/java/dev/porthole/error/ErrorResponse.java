package dev.porthole.error;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code {"error": "..."}} answer for the servlet filters that refuse a request before it reaches Jersey, and for
 * the container's own error pages ({@link ErrorPage}); Jersey's exception mappers answer the same body for
 * everything after.
 */
public final class ErrorResponse {
    public static final String CONTENT_TYPE = "application/json";
    private ErrorResponse() {
    }

    /**
     * What a status means, in Porthole's words, for an answer that has nothing more specific to say: the refusals of
     * the servlet container and of the REST framework, whose own texts name their internals.
     */
    public static String reason(int status) {
        return switch (status) {
            case 400 -> "malformed request: its path, headers or body cannot be read";
            case 401 -> "sign in first";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 406 -> "not acceptable: this answers JSON";
            case 408 -> "the request took too long to arrive";
            case 413 -> "request too large";
            case 414 -> "request path too long";
            case 415 -> "unsupported media type: send JSON with Content-Type application/json";
            case 431 -> "request headers too large";
            case 501 -> "not implemented";
            case 503 -> "service unavailable";
            default -> status >= 500 ? "internal error" : "request failed";
        };
    }

    public static void send(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(body(message).getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON text of the answer, for a caller that writes it itself. */
    public static String body(String message) {
        return "{\"error\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}";
    }
}
