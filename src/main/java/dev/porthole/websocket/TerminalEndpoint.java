package dev.porthole.websocket;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.security.SessionUsers;
import dev.porthole.security.SignedInUser;
import dev.porthole.terminal.TerminalOptions;
import dev.porthole.terminal.Terminal;
import dev.porthole.terminal.TerminalSize;
import dev.porthole.terminal.Terminals;
import dev.porthole.wire.InputEncoder;
import dev.porthole.wire.Subprotocols;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/containers/exec/{execId}/attach}: translates socket events into calls on a {@link Terminal}
 * and nothing more. The handshake was already authorised by the security filter; the configurator handed over the
 * signed-in user and credential, and {@link Terminals#attach} checks them again against the exec instance.
 */
public final class TerminalEndpoint extends Endpoint {
    private static final Logger log = LoggerFactory.getLogger(TerminalEndpoint.class);

    private final Terminals terminals;
    private final TerminalOptions options;
    private final Compression compression;
    private final Keepalive keepalive;
    /** Set once attached; read by the close, on whatever thread it comes. */
    private volatile WebSocketTerminal attached;

    TerminalEndpoint(Terminals terminals, TerminalOptions options, Compression compression, Keepalive keepalive) {
        this.terminals = terminals;
        this.options = options;
        this.compression = compression;
        this.keepalive = keepalive;
    }

    @Override
    public void onOpen(Session socket, EndpointConfig config) {
        compression.opened(socket); // first: onClose follows every onOpen, however it ends
        // Tomcat's blocking sends give up after 20 s by default; a terminal waits longer for a slow reader.
        socket.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT",
                options.sendTimeout().toMillis());
        socket.getAsyncRemote().setSendTimeout(options.sendTimeout().toMillis()); // the selector threads' sends
        WebSocketTerminal client = new WebSocketTerminal(socket, outputFrames(socket));
        SignedInUser user = (SignedInUser) config.getUserProperties().get(SessionUsers.ATTRIBUTE);
        String credential = (String) config.getUserProperties().get(SessionUsers.CREDENTIAL_ATTRIBUTE);
        if (user == null || credential == null) {
            client.close(Problem.UNAUTHENTICATED, "sign in first");
            return;
        }
        String execId = socket.getPathParameters().get("execId");
        Map<String, List<String>> query = socket.getRequestParameterMap();
        try {
            client.attached(terminals.attach(execId, first(query, "envId"), size(query), user, credential, client));
        } catch (PortholeException e) {
            client.close(e.problem(), e.getMessage());
            return;
        }
        attached = client;
        keepalive.add(client);
        socket.addMessageHandler(PongMessage.class, pong -> client.pong());
        InputLimit limit = new InputLimit(options.maxMessageBytes(), client);
        InputEncoder encoder = new InputEncoder();
        socket.addMessageHandler(String.class, (MessageHandler.Partial<String>) (part, last) -> {
            byte[] bytes = encoder.encode(part, last);
            if (limit.admit(bytes.length, last)) {
                client.input(bytes, last);
            }
        });
        socket.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> {
            byte[] bytes = new byte[part.remaining()];
            part.get(bytes);
            if (limit.admit(bytes.length, last)) {
                client.input(bytes, last);
            }
        });
    }

    /**
     * The size the shell starts with, when the attach gives one ({@code h} and {@code w}, as the resize takes them):
     * the page's way to spare a resize request before the socket.
     */
    private static Optional<TerminalSize> size(Map<String, List<String>> query) {
        String rows = first(query, "h");
        String cols = first(query, "w");
        return rows == null && cols == null ? Optional.empty() : Optional.of(TerminalSize.parse(rows, cols));
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Clients that asked for no subprotocol, or for one the server does not know, keep text output. */
    private static OutputFrames outputFrames(Session socket) {
        if (Subprotocols.BINARY.equals(socket.getNegotiatedSubprotocol())) {
            return new BinaryFrames(socket);
        }
        return new TextFrames(socket);
    }

    @Override
    public void onClose(Session socket, CloseReason reason) {
        compression.closed(socket);
        WebSocketTerminal client = attached;
        if (client == null) {
            return;
        }
        keepalive.remove(client);
        Terminal current = client.terminal();
        // 1006 comes without a close frame: the connection broke, or Tomcat gave up a blocking send the client did
        // not read (send timeout), which may reach here before the relay's own failed send does.
        if (reason.getCloseCode() == CloseReason.CloseCodes.CLOSED_ABNORMALLY) {
            current.clientGone("client gone");
        } else {
            current.clientClosed();
        }
    }

    @Override
    public void onError(Session socket, Throwable error) {
        // A browser that went away is routine; the close that follows ends the session.
        log.debug("terminal socket {}: {}", socket.getId(), error.toString());
    }
}
