package dev.porthole.error;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code {"error": "..."}} answer for the servlet filters that refuse a request before it reaches Jersey,
 * whose exception mappers answer the same body for everything after.
 */
public final class ErrorResponse {
    private ErrorResponse() {
    }

    public static void send(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(message));
        response.getOutputStream().write(("{\"error\":\"" + quoted + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
