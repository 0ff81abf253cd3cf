package dev.porthole.error;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The web app's error page (WEB-INF/web.xml names it for every error): whatever the container answers with an error
 * of its own (a file that does not exist, a method it refuses, a header the REST framework cannot parse) is
 * {@code {"error": "..."}} in Porthole's words, on any server. Reached directly, it is a page that does not exist.
 */
public final class ErrorPage extends HttpServlet {
    /** Where web.xml's {@code <error-page>} points. */
    public static final String PATH = "/porthole-error";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = request.getDispatcherType() == DispatcherType.ERROR && status instanceof Integer s && s >= 400 ? s : 404;
        ErrorResponse.send(response, code, ErrorResponse.reason(code));
    }
}
