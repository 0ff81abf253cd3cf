package dev.porthole.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.terminal.TerminalObserver;
import dev.porthole.terminal.TerminalSize;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AsciicastRecorderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TerminalObserver.Terminal TERMINAL = new TerminalObserver.Terminal("e1", 1, "local", "web",
            "/bin/sh", "root", "alice", "127.0.0.1", Instant.ofEpochSecond(1_700_000_000L));

    @Test
    void aCharacterSplitBetweenTwoReadsIsRecordedWhole() throws Exception {
        StringWriter out = new StringWriter();
        AsciicastRecorder recorder = new AsciicastRecorder(JSON, Path.of("x.cast"), out, TERMINAL);
        byte[] euro = "a€b".getBytes(StandardCharsets.UTF_8);
        recorder.output(euro, 0, 2);
        recorder.output(euro, 2, euro.length - 2);
        recorder.finish();
        String[] lines = out.toString().split("\n");
        JsonNode header = JSON.readTree(lines[0]);
        assertEquals(2, header.get("version").asInt());
        assertEquals(80, header.get("width").asInt());
        assertEquals(24, header.get("height").asInt());
        assertEquals(1_700_000_000L, header.get("timestamp").asLong());
        assertEquals("a", JSON.readTree(lines[1]).get(2).asText());
        assertEquals("€b", JSON.readTree(lines[2]).get(2).asText());
        assertEquals(3, lines.length);
    }

    @Test
    void aSizeBeforeOutputGoesIntoTheHeaderAndLaterOnesAreResizeEvents() throws Exception {
        StringWriter out = new StringWriter();
        AsciicastRecorder recorder = new AsciicastRecorder(JSON, Path.of("x.cast"), out, TERMINAL);
        recorder.resized(new TerminalSize(30, 100));
        recorder.output("x".getBytes(StandardCharsets.UTF_8), 0, 1);
        recorder.resized(new TerminalSize(30, 100));
        recorder.resized(new TerminalSize(40, 120));
        recorder.finish();
        String[] lines = out.toString().split("\n");
        assertEquals(100, JSON.readTree(lines[0]).get("width").asInt());
        assertEquals(30, JSON.readTree(lines[0]).get("height").asInt());
        assertEquals("o", JSON.readTree(lines[1]).get(1).asText());
        JsonNode resize = JSON.readTree(lines[2]);
        assertEquals("r", resize.get(1).asText());
        assertEquals("120x40", resize.get(2).asText());
        assertEquals(3, lines.length);
    }
}
