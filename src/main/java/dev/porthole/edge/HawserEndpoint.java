package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.docker.Environment;
import dev.porthole.error.Causes;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/hawser/connect}: where Hawser agents dial in. No cookie or session: the first message must be the
 * agent's {@code hello} with its token, within {@code edge.hello-timeout}. A known token binds the socket to its
 * environment and is answered with {@code welcome} before anything else; an unknown one with {@code error} and
 * close 1008. Afterwards the endpoint only reassembles messages and hands them to the {@link AgentConnection}.
 *
 * <p>Nothing big before the hello: until then a message may be {@link EdgeOptions#MAX_HELLO_BYTES} long, and the
 * socket holds a place of the {@link HelloGate}, or is closed with 1013 at once when there is none.
 */
public final class HawserEndpoint extends Endpoint {
    static final String ADDRESS = "dev.porthole.edge.address";
    private static final Logger log = LoggerFactory.getLogger(HawserEndpoint.class);
    private static final CloseReason.CloseCode POLICY = CloseReason.CloseCodes.VIOLATED_POLICY;

    private final EdgeAgents agents;
    private final AgentAuthenticator authenticator;
    private final HawserMessages messages;
    private final EdgeOptions options;
    private final HelloGate gate;
    private final Executor senders;
    private final ScheduledExecutorService timer;
    /** Whether this socket holds a place of the gate: from the open until a good hello or the close. */
    private final AtomicBoolean waitingForHello = new AtomicBoolean();
    private volatile MessageAssembler assembler = new MessageAssembler(EdgeOptions.MAX_HELLO_BYTES);
    private volatile String address = "unknown";
    private volatile ScheduledFuture<?> deadline;
    private volatile AgentConnection connection;
    private volatile boolean refused;

    HawserEndpoint(EdgeAgents agents, AgentAuthenticator authenticator, HawserMessages messages, EdgeOptions options,
            HelloGate gate, Executor senders, ScheduledExecutorService timer) {
        this.agents = agents;
        this.authenticator = authenticator;
        this.messages = messages;
        this.options = options;
        this.gate = gate;
        this.senders = senders;
        this.timer = timer;
    }

    @Override
    public void onOpen(Session socket, EndpointConfig config) {
        address = String.valueOf(config.getUserProperties().getOrDefault(ADDRESS, "unknown"));
        // The agent echoes a close frame but never closes TCP itself: Tomcat closes the socket after the echo, or
        // after this long without one (its default is 30 s).
        socket.getUserProperties().put("org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT", 5000L);
        if (!gate.enter(address)) {
            // Quietly: a flood of these must not flood the log too.
            log.debug("refused an agent socket from {}: too many without hello", address);
            close(socket, CloseReason.CloseCodes.TRY_AGAIN_LATER, "Too many connections without hello; try again later");
            return;
        }
        waitingForHello.set(true);
        deadline = timer.schedule(() -> {
            if (connection == null && socket.isOpen()) {
                refuse(socket, "no hello within " + options.helloTimeout().toMillis() + " ms", address);
            }
        }, options.helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
        socket.addMessageHandler(String.class, (MessageHandler.Partial<String>) (part, last) -> {
            String text;
            try {
                text = assembler.add(part, last);
            } catch (MessageAssembler.TooBig e) {
                closeTooBig(socket, e.getMessage());
                return;
            }
            if (text == null || refused) {
                return;
            }
            AgentConnection bound = connection;
            JsonNode message;
            try {
                message = messages.parse(text);
            } catch (IllegalArgumentException e) {
                // Not the parser's words: they quote the text, and a broken hello holds the token.
                log.debug("agent at {} sent a message that is not a JSON object with a type ({} characters)", address,
                        text.length());
                return;
            }
            if (bound != null) {
                bound.received(message);
            } else {
                deadline.cancel(false);
                hello(socket, message, address);
            }
        });
    }

    private void hello(Session socket, JsonNode message, String address) {
        if (!"hello".equals(message.path("type").asText())) {
            refuse(socket, "the first message must be hello", address);
            return;
        }
        if (authenticator.lockedOut(address)) {
            refuse(socket, "Too many failed attempts", address);
            return;
        }
        AgentHello hello = AgentHello.of(message);
        Optional<Environment> environment = hello.tokenHash() == null ? Optional.empty()
                : authenticator.authenticate(hello.tokenHash(), address);
        if (environment.isEmpty()) {
            refuse(socket, "Invalid token", address);
            return;
        }
        AgentConnection bound = new AgentConnection(environment.get(), hello, socket, messages, senders, options);
        bound.send(messages.welcome(environment.get().id())); // the agent aborts on any other first message
        assembler = new MessageAssembler(options.maxMessageBytes());
        connection = bound;
        leaveGate();
        agents.bind(bound);
        log.info("{} (version {}, protocol {}, Docker {}) connected from {}", bound.describe(), hello.version(),
                hello.protocol(), hello.dockerVersion(), address);
    }

    /** Sends the error the agent prints, then closes with 1008; nothing else was sent on this socket. */
    private void refuse(Session socket, String reason, String address) {
        refused = true;
        log.warn("refused a Hawser agent from {}: {}", address, reason);
        try {
            socket.getBasicRemote().sendText(messages.error(reason));
            socket.close(new CloseReason(POLICY, reason));
        } catch (IOException | RuntimeException e) {
            log.debug("closing a refused agent socket: {}", e.toString());
        }
    }

    private void closeTooBig(Session socket, String reason) {
        refused = true;
        AgentConnection bound = connection;
        if (bound != null) {
            bound.close(CloseReason.CloseCodes.TOO_BIG, reason);
            return;
        }
        close(socket, CloseReason.CloseCodes.TOO_BIG, reason);
    }

    private static void close(Session socket, CloseReason.CloseCode code, String reason) {
        try {
            socket.close(new CloseReason(code, reason));
        } catch (IOException e) {
            log.debug("closing an agent socket: {}", e.toString());
        }
    }

    private void leaveGate() {
        if (waitingForHello.compareAndSet(true, false)) {
            gate.leave(address);
        }
    }

    @Override
    public void onClose(Session socket, CloseReason reason) {
        leaveGate();
        ScheduledFuture<?> helloDeadline = deadline;
        if (helloDeadline != null) {
            helloDeadline.cancel(false); // its task holds the socket until it runs
        }
        AgentConnection bound = connection;
        if (bound != null) {
            String text = reason.getReasonPhrase() == null || reason.getReasonPhrase().isEmpty() ? ""
                    : " " + reason.getReasonPhrase();
            bound.close(reason.getCloseCode(), "the agent closed the connection (" + reason.getCloseCode().getCode()
                    + text + ")");
        }
    }

    @Override
    public void onError(Session socket, Throwable error) {
        leaveGate();
        AgentConnection bound = connection;
        log.debug("agent socket {}: {}", bound == null ? socket.getId() : bound.describe(), error.toString());
        if (bound != null) {
            bound.close(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "connection lost: " + Causes.of(error));
        }
    }
}
