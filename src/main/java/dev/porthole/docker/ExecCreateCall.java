package dev.porthole.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotAcceptableException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code POST /containers/{id}/exec} on docker-java's transport, without its command layer. Every terminal waits
 * for this call, and in a profile of it docker-java's request template and its generic Jackson deserializer (for a
 * body of one field, {@code Id}) cost as much CPU as the HTTP exchange itself. The request body is the one
 * {@code execCreateCmd} sends, and a refusal throws the exception docker-java would, so that
 * {@link EngineFailures} answers as for any other call.
 */
final class ExecCreateCall {
    /** What the engine's answer may be, at most: an id, or an error message. */
    private static final int MAX_ANSWER = 64 * 1024;
    private static final Pattern PLAIN_SEGMENT = Pattern.compile("[A-Za-z0-9_.-]+");

    private final ObjectMapper json = new ObjectMapper();
    private final DockerHttpClient http;
    private final String pathPrefix;

    ExecCreateCall(DockerHttpClient http, String pathPrefix) {
        this.http = http;
        this.pathPrefix = pathPrefix;
    }

    /** Answers the new exec instance's id; throws docker-java's exceptions, as {@code execCreateCmd(...).exec()} does. */
    String create(String container, List<String> cmd, String user, List<String> env, boolean tty) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(pathPrefix + "/containers/" + segment(container) + "/exec")
                .putHeader("Accept", "application/json")
                .putHeader("Content-Type", "application/json")
                .bodyBytes(body(cmd, user, env, tty))
                .build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            int status = response.getStatusCode();
            byte[] answer = readAnswer(response.getBody());
            if (status < 200 || status > 299) {
                throw refusal(status, new String(answer, StandardCharsets.UTF_8));
            }
            JsonNode id = json.readTree(answer).get("Id");
            if (id == null || !id.isTextual()) {
                throw new DockerException("the engine answered no exec id: " + new String(answer, StandardCharsets.UTF_8), status);
            }
            return id.asText();
        } catch (IOException e) {
            throw new RuntimeException(e); // as docker-java wraps it; EngineFailures finds the IOException cause
        }
    }

    /** {@link ExecCreateBody}, as the bytes sent. */
    byte[] body(List<String> cmd, String user, List<String> env, boolean tty) {
        ObjectNode body = ExecCreateBody.of(cmd, user, env, tty);
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an exec create body", e);
        }
    }

    /** The exception docker-java's {@code DefaultInvocationBuilder} throws for {@code status}, with the engine's body. */
    static DockerException refusal(int status, String body) {
        return switch (status) {
            case 304 -> new NotModifiedException(body);
            case 400 -> new BadRequestException(body);
            case 401 -> new UnauthorizedException(body);
            case 404 -> new NotFoundException(body);
            case 406 -> new NotAcceptableException(body);
            case 409 -> new ConflictException(body);
            case 500 -> new InternalServerErrorException(body);
            default -> new DockerException(body, status);
        };
    }

    /** Container names and ids need no escaping; anything else is percent-encoded, as docker-java's template does. */
    static String segment(String container) {
        if (PLAIN_SEGMENT.matcher(container).matches()) {
            return container;
        }
        StringBuilder encoded = new StringBuilder();
        for (byte b : container.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && PLAIN_SEGMENT.matcher(String.valueOf(c)).matches()) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }

    private static byte[] readAnswer(InputStream body) throws IOException {
        return body.readNBytes(MAX_ANSWER);
    }
}
