package dev.porthole.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The browser-like client: {@code src/bench/node/browser-bench.mjs} run by the machine's Node.js, with the npm
 * package {@code ws} at the version its lock file holds ({@code scripts/bench.sh} installs it with {@code npm ci}).
 * It connects as Chromium does: Origin and cookie, the {@code porthole.binary} subprotocol, and the offer
 * {@code permessage-deflate; client_max_window_bits}; it waits for the prompt before typing. Each figure runs in
 * one Node process, which takes its own times on its event loop, and answers one JSON line.
 */
final class BrowserClient {
    static final Path SCRIPT = Path.of("src/bench/node/browser-bench.mjs");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode porthole;
    private final String engine;
    private final Path trusted;

    BrowserClient(String baseUrl, String user, String password, String engine) throws IOException {
        this(baseUrl, user, password, engine, null);
    }

    /** Over HTTPS to a server whose certificate {@code trusted} is (a self-signed one, as the benchmark's nginx has). */
    BrowserClient(String baseUrl, String user, String password, String engine, Path trusted) throws IOException {
        if (!Files.isDirectory(Path.of("src/bench/node/node_modules/ws"))) {
            throw new IOException("the browser-like client needs ws: run scripts/bench.sh, or npm ci in src/bench/node");
        }
        this.porthole = JSON.createObjectNode().put("baseUrl", baseUrl).put("user", user).put("password", password);
        this.engine = engine;
        this.trusted = trusted;
    }

    /** A job for {@code figure}: the server and engine filled in, the figure's own fields to be put by the caller. */
    ObjectNode job(String figure) {
        ObjectNode job = JSON.createObjectNode().put("figure", figure).put("engine", engine);
        job.set("porthole", porthole);
        return job;
    }

    static ObjectNode withContainers(ObjectNode job, List<String> containers) {
        containers.forEach(job.putArray("containers")::add);
        return job;
    }

    /** Runs {@code job} and answers its result. */
    JsonNode run(ObjectNode job) throws IOException, InterruptedException {
        return run(job, null);
    }

    /**
     * Runs {@code job}; a sessions job stops once every shell is open ({@code OPENED}), {@code atPeak} runs, and the
     * typing starts when it returns.
     */
    JsonNode run(ObjectNode job, Runnable atPeak) throws IOException, InterruptedException {
        Process node = node(job).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = node.getOutputStream()) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("OPENED ")) {
                    if (atPeak != null) {
                        atPeak.run();
                    }
                    in.write('\n');
                    in.flush();
                } else if (line.startsWith("RESULT ")) {
                    node.waitFor();
                    return JSON.readTree(line.substring("RESULT ".length()));
                }
            }
        } finally {
            node.destroy();
        }
        throw new IOException("the browser-like client failed (exit " + node.waitFor() + ") on " + job.get("figure"));
    }

    /**
     * One new shell's echo, key after key: the {@code keys} after {@code warmUp} unmeasured ones. {@code deflate}
     * false leaves compression out of the offer (the direct side has none to offer).
     */
    Stats echo(String side, boolean deflate, String container, int keys, int warmUp) throws IOException, InterruptedException {
        JsonNode samples = run(job("echo").put("side", side).put("deflate", deflate).put("container", container)
                .put("keys", keys).put("warmUp", warmUp)).get("samples");
        long[] measured = new long[keys];
        for (int i = 0; i < keys; i++) {
            measured[i] = samples.get(warmUp + i).asLong();
        }
        return new Stats(measured);
    }

    /** Shells held open by a client process until {@link #close}. */
    static final class Held implements AutoCloseable {
        private final Process node;
        private final BufferedReader out;
        private final JsonNode opened;

        private Held(Process node, BufferedReader out, JsonNode opened) {
            this.node = node;
            this.out = out;
            this.opened = opened;
        }

        /** How many of the held sockets compress. */
        int compressed() {
            return opened.get("compressed").asInt();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                node.getOutputStream().write('\n');
                node.getOutputStream().flush();
                for (String line; (line = out.readLine()) != null && !line.startsWith("RESULT "); ) {
                    // the shells are closing
                }
                node.waitFor();
            } finally {
                node.destroy();
            }
        }
    }

    /** Runs a sessions {@code job} with {@code hold}: answers once every shell is open, and they stay so until closed. */
    Held hold(ObjectNode job) throws IOException {
        job.put("hold", true);
        Process node = node(job).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("OPENED ")) {
                return new Held(node, out, JSON.readTree(line.substring("OPENED ".length())));
            }
        }
        node.destroy();
        throw new IOException("the browser-like client failed to open the shells it was to hold");
    }

    private ProcessBuilder node(ObjectNode job) throws IOException {
        ProcessBuilder node = new ProcessBuilder("node", SCRIPT.toString(), JSON.writeValueAsString(job))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (trusted != null) {
            node.environment().put("NODE_EXTRA_CA_CERTS", trusted.toAbsolutePath().toString());
        }
        return node;
    }

    /** Durations in nanoseconds, as the client answers them. */
    static Stats stats(JsonNode nanos) {
        long[] values = new long[nanos.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = nanos.get(i).asLong();
        }
        return new Stats(values);
    }
}
