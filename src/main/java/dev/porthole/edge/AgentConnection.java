package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.docker.AgentStatus;
import dev.porthole.docker.Environment;
import dev.porthole.error.Causes;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;
import dev.porthole.error.Problem;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated agent's WebSocket, bound to its environment: correlates requests with their replies by
 * {@code requestId} and routes terminal messages by {@code execId}. Replies come in any order; ids it does not
 * know (from an earlier connection, or already timed out) are ignored, as the protocol asks.
 *
 * <p>Threads: {@link #received} runs on the socket's reader thread and never blocks; sends go through one
 * {@link OutboundQueue}; callers wait on their own threads. {@link #close} is idempotent and fails everything
 * pending, so no caller waits past a disconnect.
 */
final class AgentConnection {
    private static final Logger log = LoggerFactory.getLogger(AgentConnection.class);

    private final Environment environment;
    private final AgentHello hello;
    private final Session socket;
    private final HawserMessages messages;
    private final OutboundQueue out;
    private final PingFences fences;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, ExecChannel> execs = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<String> closedReason = new CompletableFuture<>();
    private volatile long lastHeardNanos = System.nanoTime();

    AgentConnection(Environment environment, AgentHello hello, Session socket, HawserMessages messages,
            Executor senders, EdgeOptions options) {
        this.environment = environment;
        this.hello = hello;
        this.socket = socket;
        this.messages = messages;
        this.maxInFlight = options.maxRequestsInFlight();
        this.inFlight = new Semaphore(maxInFlight);
        // A send fails when the agent closed the socket a moment before: then its close, not the send, is the news.
        this.out = new OutboundQueue(socket, senders, e -> close(CloseReason.CloseCodes.CLOSED_ABNORMALLY,
                socket.isOpen() ? "cannot send to the agent: " + Causes.of(e) : "the agent closed the connection"));
        this.fences = new PingFences(out::send, messages::ping);
    }

    Environment environment() {
        return environment;
    }

    AgentHello hello() {
        return hello;
    }

    String describe() {
        return hello.describe() + " of " + environment;
    }

    boolean isOpen() {
        return !closed.get();
    }

    /** Completes with the reason once the connection closed. */
    CompletableFuture<String> whenClosed() {
        return closedReason;
    }

    long silentNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    AgentStatus status() {
        return new AgentStatus(isOpen(), hello.version(), hello.protocol(), hello.agentName(), hello.hostname(),
                hello.dockerVersion(), hello.capabilities(), Instant.now().minusNanos(silentNanos()).toString());
    }

    boolean send(String message) {
        return out.send(message);
    }

    /** The keepalive: any JSON message renews the agent's read deadline. */
    void ping() {
        fences.ping();
    }

    /**
     * Sends {@code message} and answers a future that completes once the agent has read it (see {@link PingFences}),
     * or fails when the connection closes first; null when it is closed already.
     */
    CompletableFuture<Void> sendFenced(String message) {
        return fences.sendFenced(message);
    }

    /**
     * Sends a buffered Docker API call and answers the agent's {@code response}; fails with 429 when
     * {@code edge.max-requests-in-flight} are already waiting, and with 502 on an agent {@code error}, a
     * disconnect or no reply within {@code timeout}.
     */
    CompletableFuture<JsonNode> request(String method, String path, JsonNode body, Duration timeout) {
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(new PortholeException(Problem.TOO_MANY, "too many requests to the "
                    + describe() + " at once: at most " + maxInFlight + " (edge.max-requests-in-flight)"));
        }
        String id = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        reply.whenComplete((r, e) -> {
            pending.remove(id);
            inFlight.release();
        });
        if (!isOpen() || !send(messages.request(id, method, path, body))) {
            reply.completeExceptionally(offline());
        }
        return reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                return CompletableFuture.failedFuture(new PortholeException(Problem.ENGINE_UNREACHABLE, "no answer from the "
                        + describe() + " to " + method + " " + path + " within " + timeout.toMillis() + " ms"));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    void register(String execId, ExecChannel channel) {
        execs.put(execId, channel);
        if (!isOpen()) {
            execs.remove(execId);
            channel.disconnected(closedReason.getNow("closed"));
        }
    }

    void unregister(String execId) {
        execs.remove(execId);
    }

    /** One whole message from the agent; on the reader thread. */
    void received(JsonNode message) {
        lastHeardNanos = System.nanoTime();
        String type = message.path("type").asText();
        switch (type) {
            case "ping" -> send(messages.pong(System.currentTimeMillis()));
            case "response" -> {
                CompletableFuture<JsonNode> reply = pending.get(message.path("requestId").asText());
                if (reply != null) {
                    reply.complete(message);
                }
            }
            case "error" -> error(message);
            case "exec_ready" -> exec(message, ExecChannel::ready);
            case "exec_output" -> exec(message, channel -> {
                try {
                    channel.output(HawserMessages.base64(message.path("data")));
                } catch (IllegalArgumentException e) {
                    log.debug("{} sent exec_output that is not base64; dropped", describe());
                }
            });
            case "exec_end" -> {
                ExecChannel channel = execs.remove(message.path("execId").asText());
                if (channel != null) {
                    channel.ended(message.path("reason").asText("container_exit"));
                }
            }
            case "pong" -> fences.answered();
            case "metrics", "container_event", "stream", "stream_end" -> {
                // liveness only: Porthole sends no streaming requests and keeps no metrics
            }
            default -> log.debug("{} sent a message of unknown type {}", describe(), Printable.of(type, 64));
        }
    }

    /** Any error code on a request is a failure; for the exec codes the requestId is the execId. */
    private void error(JsonNode message) {
        String id = message.path("requestId").asText("");
        // The agent's words reach logs, close reasons and answers: no line breaks or other control characters.
        String text = Printable.of(message.path("error").asText(message.path("message").asText("unknown error")), 500);
        String code = Printable.of(message.path("code").asText(""), 64);
        CompletableFuture<JsonNode> reply = pending.get(id);
        if (reply != null) {
            reply.completeExceptionally(new PortholeException(Problem.ENGINE_UNREACHABLE,
                    "the " + describe() + " failed the request: " + text + (code.isEmpty() ? "" : " (" + code + ")")));
            return;
        }
        ExecChannel channel = execs.remove(id);
        if (channel != null) {
            channel.failed(text, code);
            return;
        }
        log.debug("{} reported an error for no pending request: {} {}", describe(), code, text);
    }

    private void exec(JsonNode message, java.util.function.Consumer<ExecChannel> action) {
        ExecChannel channel = execs.get(message.path("execId").asText());
        if (channel != null) {
            action.accept(channel);
        }
    }

    PortholeException offline() {
        return new PortholeException(Problem.ENGINE_UNREACHABLE, "the " + describe() + " is offline: "
                + closedReason.getNow("not connected"));
    }

    /** Closes the socket and fails everything pending with {@code reason}; later calls do nothing. */
    void close(CloseReason.CloseCode code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("{} disconnected: {}", describe(), reason);
        closedReason.complete(reason);
        out.close();
        PortholeException failure = new PortholeException(Problem.ENGINE_UNREACHABLE, "the " + describe()
                + " disconnected: " + reason);
        pending.values().forEach(reply -> reply.completeExceptionally(failure));
        fences.closed(failure);
        execs.values().forEach(channel -> channel.disconnected(hello.describe() + " disconnected: " + reason));
        execs.clear();
        try {
            // The agent echoes the close frame but never closes TCP itself; Tomcat closes the socket after the echo
            // (or after its close timeout when none comes).
            socket.close(new CloseReason(code, dev.porthole.wire.CloseReasons.fit(reason)));
        } catch (IOException | RuntimeException e) {
            log.debug("closing the socket of {}: {}", describe(), e.toString());
        }
    }
}
