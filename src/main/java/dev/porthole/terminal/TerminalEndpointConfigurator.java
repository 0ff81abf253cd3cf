package dev.porthole.terminal;

import dev.porthole.security.SessionUsers;
import jakarta.servlet.http.HttpSession;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Builds each {@link TerminalEndpoint} with its dependencies and hands it the user of the handshake's session.
 * The user is read here, during the handshake, because the HTTP request is gone once the socket is open.
 */
public final class TerminalEndpointConfigurator extends ServerEndpointConfig.Configurator {
    static final String USER = "dev.porthole.user";

    private final Terminals terminals;
    private final TerminalOptions options;

    TerminalEndpointConfigurator(Terminals terminals, TerminalOptions options) {
        this.terminals = terminals;
        this.options = options;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        SessionUsers.of(request.getUserPrincipal(), (HttpSession) request.getHttpSession())
                .ifPresent(user -> config.getUserProperties().put(USER, user));
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new TerminalEndpoint(terminals, options));
    }
}
