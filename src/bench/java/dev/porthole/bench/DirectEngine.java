package dev.porthole.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine reached without Porthole: the same exec instances Porthole creates (a TTY, stdin, {@code /bin/sh} as
 * root, the same two variables), created and started over raw unix-socket connections.
 */
final class DirectEngine {
    private static final Pattern ID = Pattern.compile("\"Id\"\\s*:\\s*\"([0-9a-f]+)\"");

    static final String ROOT = "root";

    private final String dockerHost;

    DirectEngine(String dockerHost) {
        this.dockerHost = dockerHost;
    }

    /** A keep-alive connection for a series of calls, as a client library would hold one. */
    EngineSocket connect() throws IOException {
        return new EngineSocket(dockerHost);
    }

    /** The end of busybox sh's prompt for {@code user}. */
    static String prompt(String user) {
        return ROOT.equals(user) ? "# " : "$ ";
    }

    /** {@code POST /containers/{container}/exec} on {@code socket}: answers the engine's exec id. */
    static String createExec(EngineSocket socket, String container) throws IOException {
        return createExec(socket, container, ROOT);
    }

    /** The same, with the shell run as {@code user}. */
    static String createExec(EngineSocket socket, String container, String user) throws IOException {
        String json = "{\"AttachStdin\":true,\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":true,"
                + "\"User\":\"" + user + "\",\"Cmd\":[\"/bin/sh\"],\"Env\":[\"TERM=xterm-256color\",\"PORTHOLE_SESSION="
                + UUID.randomUUID().toString().replace("-", "") + "\"]}";
        EngineSocket.Response r = socket.post("/containers/" + container + "/exec", json, false);
        Matcher m = ID.matcher(r.body());
        if (r.status() != 201 || !m.find()) {
            throw new IOException("exec create answered " + r.status() + ": " + r.body());
        }
        return m.group(1);
    }

    /** A new shell in {@code container}, its stream hijacked on a connection of its own, once its prompt arrived. */
    DirectTerminal openShell(String container, Duration timeout) throws Exception {
        return openShell(container, ROOT, timeout);
    }

    /** The same, as {@code user}. */
    DirectTerminal openShell(String container, String user, Duration timeout) throws Exception {
        String execId;
        try (EngineSocket calls = connect()) {
            execId = createExec(calls, container, user);
        }
        EngineSocket stream = connect();
        EngineSocket.Response r = stream.post("/exec/" + execId + "/start", "{\"Detach\":false,\"Tty\":true}", true);
        if (r.status() != 101) {
            stream.close();
            throw new IOException("exec start answered " + r.status() + ": " + r.head());
        }
        DirectTerminal terminal = new DirectTerminal(stream);
        terminal.output().awaitFromStart(prompt(user), timeout);
        return terminal;
    }
}
