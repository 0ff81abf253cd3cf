package dev.porthole.docker;

import com.github.dockerjava.api.exception.DockerException;
import dev.porthole.error.Causes;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * Turns what docker-java throws, and an engine's refusal however it came, into a {@link PortholeException} that names
 * the environment and the cause.
 */
public final class EngineFailures {
    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private EngineFailures() {
    }

    static PortholeException translate(Environment environment, String what, RuntimeException e) {
        if (e instanceof PortholeException p) {
            return p;
        }
        if (e instanceof DockerException refused) {
            Problem problem = problemOf(refused.getHttpStatus());
            String message = problem == Problem.ENGINE_FAILED
                    ? what + ": the engine of " + environment + " answered: " + engineMessage(e)
                    : what + ": " + engineMessage(e);
            return new PortholeException(problem, message, e);
        }
        Throwable io = ioCause(e);
        if (io != null) {
            return new PortholeException(Problem.ENGINE_UNREACHABLE,
                    environment + " is unreachable: " + cause(environment, io), e);
        }
        return new PortholeException(Problem.ENGINE_FAILED, what + " failed on " + environment + ": " + Causes.of(e), e);
    }

    /**
     * What an engine's refusal with HTTP {@code status} means to Porthole's caller: the object it named is missing
     * (404) or in the wrong state (409); anything else is the engine's failure.
     */
    public static Problem problemOf(int status) {
        return switch (status) {
            case 404 -> Problem.NOT_FOUND;
            case 409 -> Problem.CONFLICT;
            default -> Problem.ENGINE_FAILED;
        };
    }

    /** Says what went wrong in an operator's words: refused, timed out, or which side of TLS failed. */
    static String cause(Environment environment, Throwable io) {
        String message = Causes.of(io);
        if (io instanceof SSLException) {
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("certificate_required") || lower.contains("bad_certificate")
                    || lower.contains("unknown_ca") || lower.contains("certificate_unknown")) {
                return refusedCertificate(environment) + " (" + message + ")";
            }
            if (lower.contains("pkix") || lower.contains("certificate") || lower.contains("subject alternative")) {
                return "the engine's certificate failed verification (" + message + ")";
            }
            return "TLS failed: " + message;
        }
        String lower = message.toLowerCase(Locale.ROOT);
        // httpclient bounds the TCP connect and the TLS handshake by the connect timeout, and says "Connect to".
        if (io instanceof ConnectTimeoutException || lower.startsWith("connect to") && lower.contains("timed out")) {
            return "no connection within the connect timeout of " + environment.connectTimeout().toMillis() + " ms ("
                    + message + ")";
        }
        if (io instanceof SocketTimeoutException) {
            return "no answer within the read timeout of " + environment.readTimeout().toMillis() + " ms (" + message + ")";
        }
        if (environment.tls() != null && io instanceof SocketException
                && (lower.contains("broken pipe") || lower.contains("connection reset"))) {
            // TLS 1.3: the handshake looks done to the client when the engine rejects its certificate, so the
            // rejection shows up as a connection closed under the request.
            return "the engine closed the TLS connection (" + message + "), as an engine run with --tlsverify does when "
                    + refusedCertificate(environment).replaceFirst("^the engine ", "it ");
        }
        return message;
    }

    private static String refusedCertificate(Environment environment) {
        return environment.tls() == null || environment.tls().clientCertificate() ? "the engine refused Porthole's client certificate"
                : "the engine asks for a client certificate and none is configured (tls.cert, tls.key)";
    }

    /** docker-java puts the engine's JSON body in the message, prefixed by the status; keep the engine's words. */
    private static String engineMessage(RuntimeException e) {
        String message = Causes.of(e);
        String json = jsonMessage(message);
        return json != null ? json : message.replaceFirst("^Status \\d+: ", "").trim();
    }

    /** The {@code message} of an engine's JSON error body found in {@code text}, or null when there is none. */
    static String jsonMessage(String text) {
        Matcher m = JSON_MESSAGE.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static Throwable ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return t;
            }
        }
        return null;
    }
}
