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
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.impl.io.IdentityInputStream;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;

/**
 * The engine's container events as they happen: {@code GET /events} on a connection of its own, which the engine
 * holds open and writes one JSON object to per event. Not on docker-java's clients: their read timeout would end a
 * quiet stream every minute, and a stream must not take one of the calls' pooled connections for good.
 */
final class EventStream implements ContainerWatch.Events {
    /** The events that change what {@link ContainerTable} holds; the engine filters out the rest (exec_*, resize, ...). */
    private static final String FILTERS = "{\"type\":[\"container\"],\"event\":[\"create\",\"start\",\"restart\","
            + "\"die\",\"stop\",\"pause\",\"unpause\",\"rename\",\"destroy\"]}";
    private static final int BUFFER = 8 * 1024;
    private static final int MAX_LINE = 8 * 1024;
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
            // httpcore5 (under docker-java's transport) parses the head and the chunked body; each of its reads
            // returns what one read of the connection gave, so an event is handed over once its last byte is in.
            SessionInputBufferImpl buffer = new SessionInputBufferImpl(BUFFER, MAX_LINE);
            InputStream in = new Input(connection);
            ClassicHttpResponse head = new DefaultHttpResponseParser().parse(buffer, in);
            if (head.getCode() != 200) {
                throw new IOException("the engine refused its event stream: " + head.getCode() + " " + head.getReasonPhrase());
            }
            Header coding = head.getFirstHeader(HttpHeaders.TRANSFER_ENCODING);
            boolean chunked = coding != null && "chunked".equalsIgnoreCase(coding.getValue().strip());
            return new EventStream(connection,
                    chunked ? new ChunkedInputStream(buffer, in) : new IdentityInputStream(buffer, in));
        } catch (HttpException e) {
            connection.close();
            throw new IOException("the engine's answer to the event stream is not HTTP: " + e.getMessage(), e);
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

    /** The connection as a stream; its one read returns what has arrived, so a whole event is never waited past. */
    private static final class Input extends InputStream {
        private final EngineConnection connection;

        Input(EngineConnection connection) {
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return length == 0 ? 0 : connection.read(buffer, offset, length);
        }
    }
}
