package dev.porthole.docker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The body of the engine's {@code POST /containers/{id}/exec} for what Porthole sets: the fields docker-java's
 * {@code execCreateCmd} sent, the rest left out. One shape whatever carries the call, a socket or an agent.
 */
public final class ExecCreateBody {
    private ExecCreateBody() {
    }

    public static ObjectNode of(List<String> cmd, String user, List<String> env, boolean tty) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("AttachStdin", tty);
        body.put("AttachStdout", true);
        body.put("AttachStderr", true);
        body.put("Tty", tty);
        body.putArray("Env").addAll(env.stream().map(body::textNode).toList());
        body.putArray("Cmd").addAll(cmd.stream().map(body::textNode).toList());
        body.put("User", user);
        return body;
    }
}
