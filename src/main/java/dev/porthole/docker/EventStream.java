package dev.porthole.docker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
            InputStream in = new BufferedInputStream(new Input(connection));
            String status = line(in);
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            }
            if (!status.matches("HTTP/1\\.[01] 200( .*)?")) {
                throw new IOException("the engine refused its event stream: " + status);
            }
            return new EventStream(connection, chunked ? new Chunked(in) : in);
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

    /** One line of the head or of the chunk framing, without its CRLF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the engine closed its event stream");
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("a line of the engine's event stream is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
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

    /** HTTP/1.1 chunked transfer coding: the engine flushes each event as a chunk of its own. */
    private static final class Chunked extends InputStream {
        private final InputStream in;
        private long left;
        /** The CRLF after a chunk's data is read with the next chunk's size, so that a read never waits past its data. */
        private boolean endOfData;
        private boolean ended;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (left == 0 && !nextChunk()) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new IOException("the engine closed its event stream inside a chunk");
            }
            left -= n;
            endOfData = left == 0;
            return n;
        }

        private boolean nextChunk() throws IOException {
            if (ended) {
                return false;
            }
            if (endOfData) {
                line(in);
                endOfData = false;
            }
            String size = line(in);
            int extension = size.indexOf(';');
            try {
                left = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("not a chunk size in the engine's event stream: " + size);
            }
            if (left == 0) {
                ended = true; // trailers, if any, are never read: the stream is over
                return false;
            }
            return true;
        }
    }
}
