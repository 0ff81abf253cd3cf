package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** The event stream reads the engine's chunked answer, and hands over each event as soon as its bytes are in. */
class EventStreamTest {
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";
    private static final String START = "{\"status\":\"start\",\"id\":\"abc\",\"Type\":\"container\",\"Action\":\"start\","
            + "\"Actor\":{\"ID\":\"abc\",\"Attributes\":{\"image\":\"busybox\",\"name\":\"web\"}},\"time\":1}\n";
    private static final String RENAME = "{\"Type\":\"container\",\"Action\":\"rename\",\"Actor\":{\"ID\":\"abc\","
            + "\"Attributes\":{\"name\":\"front\",\"oldName\":\"/web\"}}}\n";

    /** A connection that answers what the test gave it so far and fails a read beyond it: a read that would block. */
    private static final class Scripted implements EngineConnection {
        final Deque<byte[]> pending = new ArrayDeque<>();
        final StringBuilder written = new StringBuilder();
        boolean closed;

        void arrive(String text) {
            pending.add(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            byte[] next = pending.poll();
            if (next == null) {
                throw new IOException("would block");
            }
            if (next.length == 0) {
                return -1;
            }
            int n = Math.min(length, next.length);
            System.arraycopy(next, 0, buffer, offset, n);
            if (n < next.length) {
                pending.addFirst(java.util.Arrays.copyOfRange(next, n, next.length));
            }
            return n;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            written.append(new String(bytes, offset, length, StandardCharsets.US_ASCII));
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void keepAlive() {
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    @Test
    void asksForContainerEventsSinceTheGivenTimeAndReadsEachAsItArrives() throws IOException {
        Scripted engine = new Scripted();
        engine.arrive(HEAD);
        EventStream events = EventStream.open(engine, "docker", "/v1.41", Instant.ofEpochSecond(1700000000, 5));
        assertTrue(engine.written.toString().startsWith("GET /v1.41/events?since=1700000000.000000005&filters="),
                engine.written.toString());
        assertTrue(engine.written.toString().contains("%22type%22%3A%5B%22container%22%5D"), engine.written.toString());

        engine.arrive(chunk(START));
        assertEquals(new ContainerEvent("start", "abc", "web"), events.next());
        // Split anywhere: the event is whole once its last byte is in, and not a byte later.
        String second = chunk(RENAME);
        engine.arrive(second.substring(0, 3));
        engine.arrive(second.substring(3, 40));
        engine.arrive(second.substring(40));
        assertEquals(new ContainerEvent("rename", "abc", "front"), events.next());

        engine.arrive("0\r\n\r\n");
        assertNull(events.next());
    }

    @Test
    void aRefusalFailsAndClosesTheConnection() {
        Scripted engine = new Scripted();
        engine.arrive("HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}");
        IOException e = assertThrows(IOException.class, () -> EventStream.open(engine, "docker", "", Instant.EPOCH));
        assertTrue(e.getMessage().contains("400"), e.getMessage());
        assertTrue(engine.closed);
    }

    @Test
    void anEngineThatClosesTheStreamEndsIt() throws IOException {
        Scripted engine = new Scripted();
        engine.arrive(HEAD);
        engine.arrive(chunk(START));
        engine.arrive("");
        EventStream events = EventStream.open(engine, "docker", "", Instant.EPOCH);
        assertEquals("start", events.next().action());
        assertThrows(IOException.class, events::next);
    }
}
