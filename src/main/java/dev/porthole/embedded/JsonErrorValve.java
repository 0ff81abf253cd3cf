package dev.porthole.embedded;

import dev.porthole.error.ErrorResponse;
import dev.porthole.security.SecurityHeaders;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's own error answers, for what it refuses before the web app is chosen (a malformed path or header, a
 * method it never allows) and for errors the web app left without a body: {@code {"error": "..."}} in Porthole's
 * words, with the browser's defences, where Tomcat would write an HTML page without them.
 */
final class JsonErrorValve extends ErrorReportValve {
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As Tomcat's own valve: not an error, an answer already written, or one reported already, are left alone.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return; // the connection is broken: nobody would read it
        }
        try {
            SecurityHeaders.defend(response.getResponse(), SecurityHeaders.ERROR_POLICY, true);
            response.setContentType(ErrorResponse.CONTENT_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ErrorResponse.body(ErrorResponse.reason(status)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            container.getLogger().debug("cannot write an error answer", e);
        }
    }
}
