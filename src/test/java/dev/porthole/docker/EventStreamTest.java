package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The event stream reads the engine's chunked answer, and hands over each event as soon as its bytes are in. */
class EventStreamTest {
    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";
    private static final String START = "{\"status\":\"start\",\"id\":\"abc\",\"Type\":\"container\",\"Action\":\"start\","
            + "\"Actor\":{\"ID\":\"abc\",\"Attributes\":{\"image\":\"busybox\",\"name\":\"web\"}},\"time\":1}\n";
    private static final String RENAME = "{\"Type\":\"container\",\"Action\":\"rename\",\"Actor\":{\"ID\":\"abc\","
            + "\"Attributes\":{\"name\":\"front\",\"oldName\":\"/web\"}}}\n";

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    @Test
    void asksForContainerEventsSinceTheGivenTimeAndReadsEachAsItArrives() throws IOException {
        ScriptedConnection engine = new ScriptedConnection();
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
        ScriptedConnection engine = new ScriptedConnection();
        engine.arrive("HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}");
        IOException e = assertThrows(IOException.class, () -> EventStream.open(engine, "docker", "", Instant.EPOCH));
        assertTrue(e.getMessage().contains("400"), e.getMessage());
        assertTrue(engine.closed);
    }

    @Test
    void anEngineThatClosesTheStreamEndsIt() throws IOException {
        ScriptedConnection engine = new ScriptedConnection();
        engine.arrive(HEAD);
        engine.arrive(chunk(START));
        engine.arrive("");
        EventStream events = EventStream.open(engine, "docker", "", Instant.EPOCH);
        assertEquals("start", events.next().action());
        assertThrows(IOException.class, events::next);
    }
}
