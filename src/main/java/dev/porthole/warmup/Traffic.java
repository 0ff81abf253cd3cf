package dev.porthole.warmup;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;

/**
 * What the warm-up does as a person at a browser would, one terminal after another: create the exec instance,
 * resize it, open its socket, wait for the prompt, type keys one at a time (each awaited before the next), paste a
 * burst of output's worth, close the tab. Every request is the real one, over a real loopback connection.
 */
final class Traffic {
    /** A read that waits longer than this fails the warm-up: the echo answers in well under a millisecond. */
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final Pattern EXEC_ID = Pattern.compile("\"execId\"\\s*:\\s*\"([0-9a-f]{32})\"");
    private static final String PROMPT = "# ";

    /** How much: terminals opened, keys typed in each, bytes pasted into each. */
    record Plan(int terminals, int keysPerTerminal, int pasteBytes) {
        int keys() {
            return terminals * keysPerTerminal;
        }
    }

    private final URI base;
    private final String token;
    private final int envId;
    private final SecureRandom random = new SecureRandom();

    /** {@code base}: the API's address (ending in {@code /}), {@code token} a credential that may exec in {@code envId}. */
    Traffic(URI base, String token, int envId) {
        this.base = base;
        this.token = token;
        this.envId = envId;
    }

    /** Runs the plan; throws at the first failure, or {@link InterruptedIOException} once interrupted. */
    void run(Plan plan) throws IOException {
        String path = base.getRawPath();
        byte[] paste = new byte[plan.pasteBytes()];
        Arrays.fill(paste, (byte) 'x');
        try (LoopbackHttp http = new LoopbackHttp(base.getHost(), base.getPort(), token, TIMEOUT_MILLIS)) {
            for (int t = 0; t < plan.terminals(); t++) {
                LoopbackHttp.Response created = http.post(path + "api/containers/warm-up/exec?envId=" + envId,
                        "{\"shell\":\"/bin/sh\"}");
                Matcher execId = EXEC_ID.matcher(created.body());
                if (created.status() != 200 || !execId.find()) {
                    throw new IOException("exec create answered " + created.status() + " " + created.body());
                }
                String exec = path + "api/containers/exec/" + execId.group(1);
                LoopbackHttp.Response resized = http.post(exec + "/resize?h=24&w=80&envId=" + envId, "");
                if (resized.status() != 200) {
                    throw new IOException("resize answered " + resized.status() + " " + resized.body());
                }
                try (LoopbackSocket socket = LoopbackSocket.open(base.getHost(), base.getPort(),
                        exec + "/attach?envId=" + envId, token, TIMEOUT_MILLIS, random)) {
                    awaitPrompt(socket);
                    type(socket, plan.keysPerTerminal());
                    socket.send(paste);
                    awaitBytes(socket, paste.length);
                }
            }
        }
    }

    private static void awaitPrompt(LoopbackSocket socket) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(PROMPT) < 0) {
            seen.append(new String(receive(socket), StandardCharsets.ISO_8859_1));
        }
    }

    private void type(LoopbackSocket socket, int keys) throws IOException {
        byte[] key = new byte[1];
        for (int i = 0; i < keys; i++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("the warm-up was interrupted");
            }
            key[0] = (byte) ('a' + i % 26);
            socket.send(key);
            awaitBytes(socket, 1);
        }
    }

    private static void awaitBytes(LoopbackSocket socket, int count) throws IOException {
        int seen = 0;
        while (seen < count) {
            seen += receive(socket).length;
        }
    }

    private static byte[] receive(LoopbackSocket socket) throws IOException {
        try {
            return socket.receive();
        } catch (EOFException e) {
            throw new IOException("the terminal closed during the warm-up", e);
        } catch (DataFormatException e) {
            throw new IOException("a compressed frame did not inflate: " + e.getMessage(), e);
        }
    }
}
