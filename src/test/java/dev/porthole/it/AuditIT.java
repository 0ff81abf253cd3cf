package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit file's records after terminals, failed sign-ins and refusals, and the recording that replays a session. */
@ExtendWith(TestServer.class)
class AuditIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTerminalIsAuditedAtItsStartAndEnd(TestServer.Running server) throws Exception {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{\"user\":\"33:33\"}");
        TerminalClient terminal = alice.attach(execId, "envId=1");
        terminal.type("echo audited-$((4000+1))\n");
        terminal.await("audited-4001");
        terminal.type("exit 7\n");
        assertEquals("exit 7", terminal.awaitClose().reason());

        JsonNode start = find(server, r -> r.path("event").asText().equals("terminal-start") && r.path("execId").asText().equals(execId));
        JsonNode end = find(server, r -> r.path("event").asText().equals("terminal-end") && r.path("execId").asText().equals(execId));
        for (JsonNode r : List.of(start, end)) {
            assertEquals("alice", r.get("user").asText());
            assertEquals("127.0.0.1", r.get("client").asText());
            assertEquals(1, r.get("envId").asInt());
            assertEquals("test engine", r.get("environment").asText());
            assertEquals("ph-busybox", r.get("container").asText());
            assertEquals("/bin/sh", r.get("shell").asText());
            assertEquals("33:33", r.get("execUser").asText());
        }
        assertEquals("exit", end.get("reason").asText());
        assertEquals(7, end.get("exitCode").asInt());
        assertEquals("echo audited-$((4000+1))\nexit 7\n".length(), end.get("bytesIn").asLong());
        assertTrue(end.get("bytesOut").asLong() > 20, end.toString());
        assertTrue(!Instant.parse(end.get("ended").asText()).isBefore(Instant.parse(end.get("started").asText())));
    }

    @Test
    void theRecordingReplaysTheSessionsOutput(TestServer.Running server) throws Exception {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        assertEquals(200, alice.resize(execId, 30, 100).status());
        TerminalClient terminal = alice.attach(execId, "envId=1");
        // 2^12 copies of a 9-byte pattern: reads from the engine end inside characters.
        terminal.type("s='é€😀'; for k in 1 2 3 4 5 6 7 8 9 10 11 12; do s=$s$s; done; printf '%s' \"$s\"; "
                + "echo; echo recorded-$((4000+2))\n");
        terminal.await("recorded-4002");
        // The size reaches the engine off the relay thread; once stty sees it, the observer has been told too.
        // Asked again until it does: on a loaded machine the first stty can run before the size is applied.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!terminal.output().contains("size-30x100") && System.nanoTime() < deadline) {
            terminal.type("echo size-$(stty size | tr ' ' x)\n");
            Thread.sleep(300);
        }
        terminal.await("size-30x100");
        terminal.close();
        JsonNode end = find(server, r -> r.path("event").asText().equals("terminal-end") && r.path("execId").asText().equals(execId));
        assertEquals("client-closed", end.get("reason").asText());
        Path cast = Path.of(end.get("recording").asText());
        List<String> lines = Files.readAllLines(cast, StandardCharsets.UTF_8);

        JsonNode header = JSON.readTree(lines.get(0));
        assertEquals(2, header.get("version").asInt());
        assertTrue(header.get("timestamp").asLong() > 1_600_000_000L, header.toString());
        StringBuilder replay = new StringBuilder();
        boolean sized = header.get("width").asInt() == 100 && header.get("height").asInt() == 30;
        double last = 0;
        for (String line : lines.subList(1, lines.size())) {
            JsonNode event = JSON.readTree(line);
            assertTrue(event.isArray() && event.size() == 3, line);
            assertTrue(event.get(0).asDouble() >= last, "events in time order");
            last = event.get(0).asDouble();
            switch (event.get(1).asText()) {
                case "o" -> replay.append(event.get(2).asText());
                case "r" -> sized |= event.get(2).asText().equals("100x30");
                default -> throw new AssertionError("unexpected event " + line);
            }
        }
        assertTrue(sized, "the recording knows the terminal's size");
        String text = replay.toString();
        assertTrue(text.contains("recorded-4002"), text);
        assertTrue(!text.contains("\uFFFD"), "a character was split in the recording");
        assertTrue(text.split("😀", -1).length - 1 >= 4096, "every emoji was recorded");
        String seen = terminal.output();
        String upToMarker = seen.substring(0, seen.indexOf("recorded-4002") + "recorded-4002".length());
        assertTrue(text.startsWith(upToMarker), "the recording holds exactly what the client saw");
    }

    @Test
    void signingOutIsTheReasonATerminalEnded(TestServer.Running server) throws Exception {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", "{}");
        TerminalClient terminal = alice.attach(execId, "envId=1");
        terminal.type("echo ready-$((4000+3))\n");
        terminal.await("ready-4003");
        alice.post("api/auth/logout", null);
        terminal.awaitClose();
        JsonNode end = find(server, r -> r.path("event").asText().equals("terminal-end") && r.path("execId").asText().equals(execId));
        assertEquals("signed-out", end.get("reason").asText());
        assertTrue(end.get("exitCode").isNull());
    }

    @Test
    void failedSignInsAndRefusalsAreAudited(TestServer.Running server) throws Exception {
        String name = "audit-nobody-" + System.nanoTime();
        assertEquals(401, server.client().post("api/auth/login", "{\"username\":\"" + name + "\",\"password\":\"x\"}").status());
        JsonNode failed = find(server, r -> r.path("event").asText().equals("sign-in-failed") && r.path("user").asText().equals(name));
        assertEquals("127.0.0.1", failed.get("client").asText());

        ApiClient bob = server.signedIn("bob");
        assertEquals(403, bob.post("api/containers/ph-busybox/exec?envId=1", "{\"shell\":\"/bin/sh\",\"user\":\"4004\"}").status());
        JsonNode refused = find(server, r -> r.path("event").asText().equals("refused") && r.path("user").asText().equals("bob")
                && r.path("path").asText().equals("/api/containers/ph-busybox/exec"));
        assertEquals(403, refused.get("status").asInt());
        assertEquals("POST", refused.get("method").asText());

        String unknown = "/api/containers/exec/" + "4005".repeat(8) + "/attach";
        try {
            bob.connectOrFail(unknown.substring(1) + "?envId=1", null);
        } catch (java.net.http.WebSocketHandshakeException expected) {
            assertEquals(403, expected.getResponse().statusCode());
        }
        JsonNode handshake = find(server, r -> r.path("event").asText().equals("refused") && r.path("path").asText().equals(unknown));
        assertEquals("bob", handshake.get("user").asText());
        assertEquals("GET", handshake.get("method").asText());
    }

    /** Waits up to a few seconds for the record {@code match} accepts; fails with the file's tail otherwise. */
    static JsonNode find(TestServer.Running server, Predicate<JsonNode> match) throws IOException, InterruptedException {
        return find(server, match, Duration.ofSeconds(5));
    }

    /** Waits up to {@code timeout} for the record {@code match} accepts; fails with the file's tail otherwise. */
    static JsonNode find(TestServer.Running server, Predicate<JsonNode> match, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> records;
        do {
            records = new ArrayList<>();
            for (String line : Files.readAllLines(server.auditFile(), StandardCharsets.UTF_8)) {
                JsonNode record = JSON.readTree(line);
                assertTrue(record.isObject() && record.has("time") && record.has("event") && record.hasNonNull("node"), line);
                records.add(record);
            }
            for (JsonNode record : records) {
                if (match.test(record)) {
                    return record;
                }
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no such audit record; the last ones are " + records.subList(Math.max(0, records.size() - 5), records.size()));
    }
}
