package dev.porthole.docker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * The engine's container events as they happen: {@code GET /events} on a connection of its own, which the engine
 * holds open and writes one JSON object to per event. Not on docker-java's clients: their read timeout would end a
 * quiet stream every minute, and a stream must not take one of the calls' pooled connections for good.
 */
final class EventStream implements ContainerWatch.Events {
    /** The events that change what {@link ContainerTable} holds; the engine filters out the rest (exec_*, resize, ...). */
    private static final String FILTERS = "{\"type\":[\"container\"],\"event\":[\"create\",\"start\",\"restart\","
            + "\"die\",\"stop\",\"pause\",\"unpause\",\"rename\",\"destroy\"]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineConnection connection;
    private final InputStream body;
    /** Made at the first {@link #next}: Jackson reads the first bytes to learn the encoding, and would wait for an event. */
    private JsonParser parser;

    private EventStream(EngineConnection connection, InputStream body) {
        this.connection = connection;
        this.body = body;
    }

    /**
     * Asks for the events from {@code since} on (the engine replays those it still holds, then streams new ones)
     * and reads the answer's head; anything but 200 fails. Closes the connection when it fails.
     */
    static EventStream open(EngineConnection connection, String host, String pathPrefix, Instant since)
            throws IOException {
        try {
            String path = pathPrefix + "/events?since=" + since.getEpochSecond() + "."
                    + String.format(Locale.ROOT, "%09d", since.getNano())
                    + "&filters=" + URLEncoder.encode(FILTERS, StandardCharsets.UTF_8);
            byte[] request = ("GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + host + "\r\n"
                    + "User-Agent: porthole\r\n"
                    + "Accept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            connection.write(request, 0, request.length);
            // An event is handed over once its last byte is in: the body's reads return what arrived.
            ResponseHead head = ResponseHead.read(connection);
            if (head.status() != 200) {
                throw new IOException("the engine refused its event stream: " + head.statusLine());
            }
            return new EventStream(connection, head.body());
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public ContainerEvent next() throws IOException {
        if (parser == null) {
            parser = JSON.getFactory().createParser(body);
        }
        JsonToken token = parser.nextToken();
        if (token == null) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            throw new IOException("the engine's event stream holds " + token + " where an event belongs");
        }
        JsonNode event = JSON.readTree(parser);
        return ContainerEvent.of(event);
    }

    @Override
    public void close() {
        connection.close();
    }
}
