package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.wire.Subprotocols;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code porthole.binary} subprotocol, end to end: output in binary frames holding the engine's bytes as read,
 * and text frames for clients that do not ask for it. The JDK client takes {@code Sec-WebSocket-Protocol}
 * from the handshake's answer (and refuses one it did not ask for), so {@link TerminalClient#subprotocol} is that
 * header.
 */
@ExtendWith(TestServer.class)
class BinaryOutputIT {
    private static final List<String> BINARY = List.of(Subprotocols.BINARY);

    @Test
    void theHandshakeAnswersWithTheSubprotocolAndOutputComesInBinaryFramesOnly(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox", BINARY);
        assertEquals("porthole.binary", terminal.subprotocol());
        // Input is the same with the subprotocol: text and binary frames are keystrokes.
        terminal.type("echo hello-$((40+2))\n");
        terminal.await("hello-42");
        terminal.typeBinary("echo binary-$((3*3))\n".getBytes(StandardCharsets.UTF_8));
        terminal.await("binary-9");
        terminal.type("exit 3\n");
        TerminalClient.Closed closed = terminal.awaitClose();
        assertEquals(1000, closed.code());
        assertEquals("exit 3", closed.reason());
        assertEquals(0, terminal.textMessages(), "no text frames");
        assertTrue(terminal.binaryMessages() > 0, "binary frames");
    }

    @Test
    void bytesThatAreNotUtf8ArriveExactly(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox", BINARY);
        // Octal escapes, so the keystrokes and their echo are ASCII: 0xff 0xfe, a lone lead byte 0xc0, and the
        // first two of the three bytes of '€', each between markers the echo cannot contain.
        terminal.type("printf '<%d>\\377\\376\\300<%d>\\342\\202<%d>\\n' $((1+1)) $((2+2)) $((3+3))\n");
        terminal.await("<6>");
        byte[] expected = "<2>\u00ff\u00fe\u00c0<4>\u00e2\u0082<6>\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] received = terminal.bytes();
        assertTrue(TerminalClient.indexOf(received, expected) >= 0, "expected " + HexFormat.of().formatHex(expected) + " in "
                + HexFormat.of().formatHex(received));
        assertEquals(0, terminal.textMessages());
        terminal.close();
    }

    @Test
    void withoutTheSubprotocolOutputIsTextAndBytesThatAreNotUtf8BecomeReplacementCharacters(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox");
        assertEquals("", terminal.subprotocol());
        terminal.type("printf '<%d>\\377\\376\\300<%d>\\342\\202<%d>\\n' $((1+1)) $((2+2)) $((3+3))\n");
        String output = terminal.await("<6>");
        assertTrue(output.matches("(?s).*<2>\uFFFD+<4>\uFFFD+<6>\r\n.*"), output);
        assertEquals(0, terminal.binaryMessages(), "no binary frames");
        assertTrue(terminal.textMessages() > 0, "text frames");
        terminal.close();
    }

    @Test
    void multiByteCharactersAndControlSequencesArriveIntact(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox", BINARY);
        // 2^15 copies of a 9-byte pattern: 288 KiB in many reads, which end inside characters.
        terminal.type("s='é€😀'; for k in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do s=$s$s; done; printf '%s' \"$s\"; "
                + "printf '\\033[31mred-%d\\033[0m\\033[?1049h\\033[?1049l\\n' $((5*5)); echo END-$((6*7))\n");
        terminal.await("END-42", Duration.ofSeconds(30));
        byte[] received = terminal.bytes();
        byte[] burst = "é€😀".repeat(1 << 15).getBytes(StandardCharsets.UTF_8);
        int at = TerminalClient.indexOf(received, burst);
        assertTrue(at >= 0, "the burst arrived byte for byte");
        assertTrue(TerminalClient.indexOf(received, "\u001b[31mred-25\u001b[0m\u001b[?1049h\u001b[?1049l\r\n"
                .getBytes(StandardCharsets.US_ASCII)) > at, "the control sequences arrived intact, after the burst");
        assertFalse(terminal.output().contains("\uFFFD"), "every character is whole once the frames are joined");
        // Nothing is held back: some frame ends inside a character and the next one finishes it.
        assertTrue(terminal.binaryMessageEnds().stream()
                        .anyMatch(end -> end > at && end < at + burst.length && (received[end] & 0xc0) == 0x80),
                "no frame ended inside a character: " + terminal.binaryMessageEnds());
        assertEquals(0, terminal.textMessages());
        terminal.close();
    }

    @Test
    void anUnknownSubprotocolAloneGetsNoneAndTextFrames(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox", List.of("porthole.unknown"));
        assertEquals("", terminal.subprotocol());
        terminal.type("echo plain-$((2+5))\n");
        terminal.await("plain-7");
        assertEquals(0, terminal.binaryMessages(), "no binary frames");
        assertTrue(terminal.textMessages() > 0, "text frames");
        terminal.close();
    }

    @Test
    void ofSeveralSubprotocolsTheFirstOneKnownIsChosen(TestServer.Running server) {
        TerminalClient terminal = server.signedIn("alice")
                .terminal("ph-busybox", List.of("porthole.unknown", Subprotocols.BINARY));
        assertEquals("porthole.binary", terminal.subprotocol());
        terminal.type("echo chosen-$((2+6))\n");
        terminal.await("chosen-8");
        assertEquals(0, terminal.textMessages(), "no text frames");
        terminal.close();
    }

    /**
     * A client that stops reading is given up after {@code terminal.send-timeout} alike with either kind of frame:
     * the relay's send blocks until then, and the terminal's processes are ended.
     */
    @Test
    void aClientThatStopsReadingIsGivenUpAlikeWithEitherKindOfFrame() throws Exception {
        try (TestServer.Running server = TestServer.startServer("terminal.send-timeout=2s")) {
            ApiClient alice = server.signedIn("alice");
            String text = stopReading(server, alice, List.of(), "yes stalled-text");
            String binary = stopReading(server, alice, BINARY, "yes stalled-binary");
            // Tomcat closes a socket whose blocking send timed out (1006), and that close may reach the session before
            // the relay's failed send does: either way the client is gone, not closed.
            assertEquals("client-gone", text);
            assertEquals(text, binary);
        }
    }

    /** Floods a client that reads nothing; answers the reason in the terminal's end record. */
    private static String stopReading(TestServer.Running server, ApiClient alice, List<String> subprotocols,
            String flood) throws Exception {
        String execId = alice.createExec("ph-busybox", "{}");
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", alice.sessionCookie());
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0));
        }
        WebSocket stalled = builder.buildAsync(URI.create(server.baseUrl().replaceFirst("^http", "ws")
                + "api/containers/exec/" + execId + "/attach?envId=1"), new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        // requests no message: the server's sends to it block once the buffers are full
                    }
                }).join();
        try {
            assertEquals(subprotocols.isEmpty() ? "" : subprotocols.get(0), stalled.getSubprotocol());
            stalled.sendText(flood + "\n", true).join();
            JsonNode end = AuditIT.find(server, r -> r.path("event").asText().equals("terminal-end")
                    && r.path("execId").asText().equals(execId), Duration.ofSeconds(30));
            assertTrue(end.get("bytesOut").asLong() > (1 << 20), "the flood ran: " + end);
            Duration open = Duration.between(Instant.parse(end.get("started").asText()),
                    Instant.parse(end.get("ended").asText()));
            assertTrue(open.compareTo(Duration.ofSeconds(2)) >= 0, "given up only after the send timeout: " + open);
            Engine.awaitGone("ph-busybox", flood, Duration.ofSeconds(10));
            return end.get("reason").asText();
        } finally {
            stalled.abort();
        }
    }
}
