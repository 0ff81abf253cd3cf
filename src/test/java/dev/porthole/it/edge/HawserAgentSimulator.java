package dev.porthole.it.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Hawser agent in edge mode, written from the protocol notes (shared/notes/hawser-edge.md), not from any agent's
 * code: it dials the server with the JDK WebSocket client, says hello with its token (and, like newer agents, the
 * token's hash), waits for the welcome, pings, answers pings, and serves requests and terminals from the real test
 * engine's unix socket. Like the real agent it handles each request on a thread of its own (replies may come out
 * of order), sends big messages as 4 KiB continuation frames ending with a newline, drops input for exec ids it
 * does not know after 500 ms, ends its terminals with its own {@code exec_end} "container_exit" (echoing a server
 * one), and never reports an exit code.
 */
public final class HawserAgentSimulator implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAME = 4096;

    private final String url;
    private final String token;
    private final String name;
    private final EngineSocket engine;
    private final ExecutorService work = Executors.newCachedThreadPool();
    private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, SocketChannel> execs = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<JsonNode> first = new CompletableFuture<>();
    private final CompletableFuture<int[]> closeCode = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger pingsReceived = new AtomicInteger();
    private volatile WebSocket socket;
    private volatile boolean silent;
    private volatile int outputChunk = FRAME;
    private volatile CountDownLatch held = new CountDownLatch(0);

    public HawserAgentSimulator(String serverBaseUrl, String token, String name) {
        this.url = serverBaseUrl.replaceFirst("^http", "ws") + "api/hawser/connect";
        this.token = token;
        this.name = name;
        this.engine = new EngineSocket(Path.of(System.getenv().getOrDefault("PORTHOLE_ENGINE_SOCKET",
                "/tmp/porthole-engine/docker.sock")));
    }

    /** Dials and says hello; answers the server's first message (welcome or error). */
    public JsonNode connect(Duration pingEvery) {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), this).join();
        send(hello());
        JsonNode reply = first.orTimeout(10, TimeUnit.SECONDS).join();
        if ("welcome".equals(reply.path("type").asText())) {
            long millis = pingEvery.toMillis();
            pinger.scheduleAtFixedRate(() -> {
                if (!silent) {
                    send("{\"type\":\"ping\",\"timestamp\":" + System.currentTimeMillis() / 1000 + "}");
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        }
        return reply;
    }

    /** Opens the socket and says nothing, as a client that is no agent might. */
    public void openWithoutHello() {
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), this).join();
    }

    /** The first message the server sent, if any within {@code timeout}. */
    public JsonNode firstMessage(Duration timeout) {
        return first.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    private String hello() {
        ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("version", "0.2.46-sim").put("protocol", "1.0")
                .put("agentId", java.util.UUID.randomUUID().toString()).put("agentName", name).put("token", token)
                .put("tokenHash", sha256(token)).put("dockerVersion", "20.10.24").put("hostname", name + "-host");
        hello.putArray("capabilities").add("exec").add("metrics").add("events");
        return hello.toString();
    }

    /** Stops answering and sending anything, as a hung agent would; the socket stays open. */
    public void goSilent() {
        silent = true;
    }

    /** Drops the TCP connection without a close frame. */
    public void disconnectAbruptly() {
        socket.abort();
        execs.values().forEach(HawserAgentSimulator::closeQuietly);
    }

    /** Sends terminal output in pieces of at most {@code bytes}, so characters split between messages. */
    public void splitOutputEvery(int bytes) {
        outputChunk = bytes;
    }

    /** Holds every request until {@link #release}. */
    public void holdRequests() {
        held = new CountDownLatch(1);
    }

    public void release() {
        held.countDown();
    }

    /** Sends one raw text message, in fragments when asked. */
    public void sendRaw(String text, int fragment) {
        synchronized (this) {
            for (int i = 0; i < text.length(); i += fragment) {
                boolean last = i + fragment >= text.length();
                socket.sendText(text.substring(i, Math.min(text.length(), i + fragment)), last).join();
            }
        }
    }

    public int pingsReceived() {
        return pingsReceived.get();
    }

    public List<String> received() {
        return received;
    }

    /** The close code and reason the server sent, waiting up to {@code timeout}. */
    public int awaitCloseCode(Duration timeout) {
        return closeCode.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join()[0];
    }

    public String closeReason() {
        return closeReason.join();
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    // --- the wire

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                handle(JSON.readTree(text));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(new int[] {statusCode});
        closeReason.complete(reason);
        first.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        stop();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.complete(new int[] {-1});
        closeReason.complete(String.valueOf(error));
        first.completeExceptionally(error);
        stop();
    }

    private void handle(JsonNode message) {
        String type = message.path("type").asText();
        received.add(type);
        if (!first.isDone()) {
            first.complete(message);
            return;
        }
        if (silent) {
            return;
        }
        switch (type) {
            case "ping" -> {
                pingsReceived.incrementAndGet();
                send("{\"type\":\"pong\",\"timestamp\":" + System.currentTimeMillis() / 1000 + "}");
            }
            case "request" -> work.execute(() -> serve(message));
            case "exec_start" -> work.execute(() -> startExec(message));
            case "exec_input" -> input(message, 0);
            case "exec_resize" -> work.execute(() -> resize(message, 0));
            case "exec_end" -> {
                SocketChannel channel = execs.get(message.path("execId").asText());
                if (channel != null) {
                    closeQuietly(channel); // the pump then sends its own exec_end
                }
            }
            default -> {
                // pong, welcome again, error: nothing to do
            }
        }
    }

    private void serve(JsonNode request) {
        String id = request.path("requestId").asText();
        try {
            held.await();
            JsonNode body = request.get("body");
            byte[] bytes = body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
            EngineSocket.Reply reply = engine.call(request.path("method").asText(), request.path("path").asText(), bytes);
            ObjectNode response = JSON.createObjectNode().put("type", "response").put("requestId", id)
                    .put("statusCode", reply.status());
            if (reply.body().length > 0) {
                if (isBinary(reply)) {
                    response.put("body", Base64.getEncoder().encodeToString(reply.body())).put("isBinary", true);
                } else {
                    response.put("body", new String(reply.body(), StandardCharsets.UTF_8));
                }
            }
            send(response.toString());
        } catch (IOException | InterruptedException e) {
            send(JSON.createObjectNode().put("type", "error").put("requestId", id).put("error", e.toString())
                    .put("code", "DOCKER_ERROR").toString());
        }
    }

    private static boolean isBinary(EngineSocket.Reply reply) {
        String type = reply.contentType();
        if (type.contains("octet-stream") || type.contains("raw-stream") || type.contains("tar") || type.contains("gzip")) {
            return true;
        }
        for (byte b : reply.body()) {
            if (b >= 0 && b <= 8 || b >= 0x0e && b <= 0x1f || b == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private void startExec(JsonNode start) {
        String execId = start.path("execId").asText();
        try {
            ObjectNode create = JSON.createObjectNode().put("AttachStdin", true).put("AttachStdout", true)
                    .put("AttachStderr", true).put("Tty", true).put("User", start.path("user").asText(""));
            create.putArray("Cmd").add(start.path("cmd").asText());
            EngineSocket.Reply created = engine.call("POST", "/containers/" + start.path("containerId").asText() + "/exec",
                    create.toString().getBytes(StandardCharsets.UTF_8));
            if (created.status() != 201) {
                send(JSON.createObjectNode().put("type", "error").put("requestId", execId).put("error", "exec create failed: "
                        + created.status() + " - " + new String(created.body(), StandardCharsets.UTF_8).trim())
                        .put("code", "EXEC_CREATE_ERROR").toString());
                return;
            }
            String dockerId = JSON.readTree(created.body()).path("Id").asText();
            EngineSocket.Hijacked hijacked = engine.hijack("/exec/" + dockerId + "/start",
                    "{\"Detach\":false,\"Tty\":true}".getBytes(StandardCharsets.UTF_8));
            dockerIds.put(execId, dockerId);
            execs.put(execId, hijacked.channel()); // registered before exec_ready, as the agent does since 0.1.3
            send("{\"type\":\"exec_ready\",\"execId\":\"" + execId + "\"}");
            int cols = start.path("cols").asInt(0);
            int rows = start.path("rows").asInt(0);
            if (cols > 0 && rows > 0) {
                engine.call("POST", "/exec/" + dockerId + "/resize?h=" + rows + "&w=" + cols, null);
            }
            pump(execId, hijacked.channel());
        } catch (IOException e) {
            send(JSON.createObjectNode().put("type", "error").put("requestId", execId).put("error", e.toString())
                    .put("code", "EXEC_START_ERROR").toString());
        }
    }

    private final Map<String, String> dockerIds = new ConcurrentHashMap<>();

    private void pump(String execId, SocketChannel channel) {
        ByteBuffer buffer = ByteBuffer.allocate(FRAME);
        try {
            while (true) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i += outputChunk) {
                    byte[] piece = java.util.Arrays.copyOfRange(buffer.array(), i, Math.min(n, i + outputChunk));
                    send("{\"type\":\"exec_output\",\"execId\":\"" + execId + "\",\"data\":\""
                            + Base64.getEncoder().encodeToString(piece) + "\"}");
                }
            }
        } catch (IOException closed) {
            // the server's exec_end closed the socket, or the engine went away: either way the session ends
        } finally {
            execs.remove(execId);
            closeQuietly(channel);
            if (!silent) {
                send("{\"type\":\"exec_end\",\"execId\":\"" + execId + "\",\"reason\":\"container_exit\"}");
            }
        }
    }

    /** Input to a session not registered yet is retried for 500 ms (10 x 50 ms), then dropped, as the agent does. */
    private void input(JsonNode message, int attempt) {
        SocketChannel channel = execs.get(message.path("execId").asText());
        if (channel == null) {
            if (attempt < 10) {
                pinger.schedule(() -> input(message, attempt + 1), 50, TimeUnit.MILLISECONDS);
            }
            return;
        }
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(message.path("data").asText()));
        try {
            synchronized (channel) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            }
        } catch (IOException e) {
            // the exec ended: input to it is dropped
        }
    }

    private void resize(JsonNode message, int attempt) {
        String dockerId = dockerIds.get(message.path("execId").asText());
        if (dockerId == null && attempt < 10) {
            pinger.schedule(() -> resize(message, attempt + 1), 50, TimeUnit.MILLISECONDS);
        } else if (dockerId != null) {
            try {
                engine.call("POST", "/exec/" + dockerId + "/resize?h=" + message.path("rows").asInt() + "&w="
                        + message.path("cols").asInt(), null);
            } catch (IOException ignored) {
                // resize of an ended exec
            }
        }
    }

    /** One message, with the newline the agent ends each with, in 4 KiB fragments when it is longer. */
    private void send(String json) {
        String text = json + "\n";
        synchronized (this) {
            if (socket == null || socket.isOutputClosed()) {
                return;
            }
            try {
                for (int i = 0; i < text.length(); i += FRAME) {
                    boolean last = i + FRAME >= text.length();
                    socket.sendText(text.substring(i, Math.min(text.length(), i + FRAME)), last).join();
                }
            } catch (RuntimeException e) {
                // the socket is gone; the agent would reconnect, the tests make a new simulator
            }
        }
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private void stop() {
        pinger.shutdownNow();
        execs.values().forEach(HawserAgentSimulator::closeQuietly);
        work.shutdownNow();
    }

    /** Closes like a newer agent on shutdown: close frame 1000 "shutdown". */
    @Override
    public void close() {
        try {
            if (socket != null && !socket.isOutputClosed()) {
                socket.sendClose(1000, "shutdown").get(2, TimeUnit.SECONDS);
            }
        } catch (Exception ignored) {
            // closing anyway
        }
        stop();
    }
}
