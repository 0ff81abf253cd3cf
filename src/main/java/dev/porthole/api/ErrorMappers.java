package dev.porthole.api;

import dev.porthole.error.ErrorResponse;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;
import dev.porthole.error.Problem;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every failure becomes {@code {"error": "..."}} with the status of its {@link dev.porthole.error.Problem}; no stack trace ever reaches a client. */
final class ErrorMappers {
    private static final Logger log = LoggerFactory.getLogger(ErrorMappers.class);

    private ErrorMappers() {
    }

    static Response json(int status, String message) {
        return body(status, message).build();
    }

    private static Response.ResponseBuilder body(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(message));
    }

    static final class Porthole implements ExceptionMapper<PortholeException> {
        @Override
        public Response toResponse(PortholeException e) {
            if (e.problem().httpStatus() >= 500) {
                log.warn("{}", e.getMessage(), e.getCause());
            }
            Response.ResponseBuilder response = body(e.problem().httpStatus(), e.getMessage());
            e.retryAfter().ifPresent(after -> response.header("Retry-After", Long.toString(Math.max(1, after.toSeconds()))));
            return response.build();
        }
    }

    /** Jersey's own failures: unknown path, wrong method, unsupported media type. */
    static final class Jaxrs implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return json(status, ErrorResponse.reason(status));
        }
    }

    /** A request's {@code Content-Type} named a charset that does not exist; anything else is unexpected. */
    static final class Charsets implements ExceptionMapper<IllegalArgumentException> {
        @Override
        public Response toResponse(IllegalArgumentException e) {
            if (e instanceof UnsupportedCharsetException || e instanceof IllegalCharsetNameException) {
                return json(Problem.UNSUPPORTED_MEDIA_TYPE.httpStatus(), "unsupported charset in Content-Type: "
                        + Printable.of(String.valueOf(((IllegalArgumentException) e).getMessage()), 40));
            }
            return new Unexpected().toResponse(e);
        }
    }

    static final class Unexpected implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            log.error("unexpected failure", e);
            return json(500, "internal error");
        }
    }
}
