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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/hawser/connect}: where Hawser agents dial in. No cookie or session: the first message must be the
 * agent's {@code hello} with its token, within {@code edge.hello-timeout}. A known token binds the socket to its
 * environment and is answered with {@code welcome} before anything else; an unknown one with {@code error} and
 * close 1008. Afterwards the endpoint only reassembles messages and hands them to the {@link AgentConnection}.
 */
public final class HawserEndpoint extends Endpoint {
    public static final String PATH = "/api/hawser/connect";
    static final String ADDRESS = "dev.porthole.edge.address";
    private static final Logger log = LoggerFactory.getLogger(HawserEndpoint.class);
    private static final CloseReason.CloseCode POLICY = CloseReason.CloseCodes.VIOLATED_POLICY;

    private final EdgeAgents agents;
    private final AgentAuthenticator authenticator;
    private final HawserMessages messages;
    private final EdgeOptions options;
    private final Executor senders;
    private final ScheduledExecutorService timer;
    private volatile AgentConnection connection;
    private volatile boolean refused;

    HawserEndpoint(EdgeAgents agents, AgentAuthenticator authenticator, HawserMessages messages, EdgeOptions options,
            Executor senders, ScheduledExecutorService timer) {
        this.agents = agents;
        this.authenticator = authenticator;
        this.messages = messages;
        this.options = options;
        this.senders = senders;
        this.timer = timer;
    }

    @Override
    public void onOpen(Session socket, EndpointConfig config) {
        String address = String.valueOf(config.getUserProperties().getOrDefault(ADDRESS, "unknown"));
        // The agent echoes a close frame but never closes TCP itself: Tomcat closes the socket after the echo, or
        // after this long without one (its default is 30 s).
        socket.getUserProperties().put("org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT", 5000L);
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            if (connection == null && socket.isOpen()) {
                refuse(socket, "no hello within " + options.helloTimeout().toMillis() + " ms", address);
            }
        }, options.helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
        MessageAssembler assembler = new MessageAssembler(options.maxMessageBytes());
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
        connection = bound;
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
        try {
            socket.close(new CloseReason(CloseReason.CloseCodes.TOO_BIG, reason));
        } catch (IOException e) {
            log.debug("closing an agent socket: {}", e.toString());
        }
    }

    @Override
    public void onClose(Session socket, CloseReason reason) {
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
        AgentConnection bound = connection;
        log.debug("agent socket {}: {}", bound == null ? socket.getId() : bound.describe(), error.toString());
        if (bound != null) {
            bound.close(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "connection lost: " + Causes.of(error));
        }
    }
}
