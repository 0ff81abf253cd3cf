package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The exec start reads the engine's answer head, keeps the output that came with it, and words a refusal. */
class UpgradedExecStreamTest {

    @Test
    void outputThatArrivedWithTheHeadIsReadFirstThenTheConnection() throws IOException {
        ScriptedConnection engine = new ScriptedConnection();
        engine.arrive("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n$ ");
        engine.arrive("ls\r\n");
        UpgradedExecStream stream = UpgradedExecStream.start(engine, "docker", "/v1.41/exec/abc/start");
        assertTrue(engine.written.toString().startsWith("POST /v1.41/exec/abc/start HTTP/1.1\r\n"),
                engine.written.toString());
        assertTrue(engine.written.toString().endsWith("\r\n\r\n{\"Detach\":false,\"Tty\":true}"));
        assertEquals("$ ", read(stream, 64));
        assertEquals("ls\r\n", read(stream, 64));
    }

    @Test
    void earlyOutputLargerThanTheCallersBufferIsHandedOverInParts() throws IOException {
        ScriptedConnection engine = new ScriptedConnection();
        engine.arrive("HTTP/1.1 101 UPGRADED\r\n\r\nabcdef");
        UpgradedExecStream stream = UpgradedExecStream.start(engine, "docker", "/exec/abc/start");
        assertEquals("abcd", read(stream, 4));
        assertEquals("ef", read(stream, 4));
    }

    @Test
    void aRefusalCarriesTheStatusAndTheEnginesMessage() {
        ScriptedConnection engine = new ScriptedConnection();
        String body = "{\"message\":\"No such exec instance: abc\"}";
        engine.arrive("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n");
        engine.arrive(body);
        UpgradedExecStream.Refused refused = assertThrows(UpgradedExecStream.Refused.class,
                () -> UpgradedExecStream.start(engine, "docker", "/exec/abc/start"));
        assertEquals(404, refused.status);
        assertEquals("No such exec instance: abc", refused.getMessage());
    }

    @Test
    void aConnectionClosedBeforeAnyAnswerFails() {
        ScriptedConnection engine = new ScriptedConnection();
        engine.arrive("");
        assertThrows(IOException.class, () -> UpgradedExecStream.start(engine, "docker", "/exec/abc/start"));
    }

    private static String read(UpgradedExecStream stream, int size) throws IOException {
        byte[] buffer = new byte[size];
        int n = stream.read(buffer);
        return new String(buffer, 0, n, StandardCharsets.UTF_8);
    }
}
