package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ExecCreateBody;
import dev.porthole.docker.ExecState;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Short non-interactive commands through the agent, with plain {@code request}s: create the exec, start it
 * attached without a TTY (the agent answers once the command ended and its output was read; the agent's own limit
 * is 30 s), then read its exit code. The output is Docker's multiplexed stream (8-byte frame headers), which the
 * agent sends base64-encoded.
 */
final class AgentExecs {
    private final AgentCalls calls;
    private final HawserMessages messages;

    AgentExecs(AgentCalls calls, HawserMessages messages) {
        this.calls = calls;
        this.messages = messages;
    }

    private String create(String container, List<String> cmd, String user) {
        ObjectNode body = ExecCreateBody.of(cmd, user, List.of(), false);
        return calls.json(calls.checked("container " + container, "POST", "/containers/" + container + "/exec", body))
                .path("Id").asText();
    }

    ExecState inspect(String engineExecId) {
        JsonNode state = calls.json(calls.checked("exec instance", "GET", "/exec/" + engineExecId + "/json", null));
        JsonNode code = state.get("ExitCode");
        boolean running = state.path("Running").asBoolean(false);
        return new ExecState(running, running || code == null || code.isNull() ? null : code.asInt());
    }

    Integer run(String container, List<String> cmd, String user, Duration timeout) {
        String id = create(container, cmd, user);
        start(container, id);
        return awaitExit(id, System.nanoTime() + timeout.toNanos());
    }

    DockerEngine.Captured capture(String container, List<String> cmd, String user, Duration timeout, int maxBytes) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String id = create(container, cmd, user);
        byte[] stdout = stdout(start(container, id), maxBytes);
        return new DockerEngine.Captured(awaitExit(id, deadline), new String(stdout, StandardCharsets.UTF_8));
    }

    private byte[] start(String container, String id) {
        ObjectNode body = messages.object(java.util.Map.of("Detach", false, "Tty", false));
        return calls.checked("container " + container, "POST", "/exec/" + id + "/start", body).body();
    }

    private Integer awaitExit(String id, long deadline) {
        return ExecState.awaitEndBy(() -> inspect(id), deadline).exitCode();
    }

    /** The standard output frames (type 1) of a multiplexed stream, up to {@code maxBytes}. */
    static byte[] stdout(byte[] stream, int maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i + 8 <= stream.length) {
            int type = stream[i];
            int size = ((stream[i + 4] & 0xff) << 24) | ((stream[i + 5] & 0xff) << 16) | ((stream[i + 6] & 0xff) << 8)
                    | (stream[i + 7] & 0xff);
            int start = i + 8;
            int length = Math.max(0, Math.min(size, stream.length - start));
            if (type == 1) {
                out.write(stream, start, Math.min(length, Math.max(0, maxBytes - out.size())));
            }
            i = start + length;
        }
        return out.toByteArray();
    }
}
