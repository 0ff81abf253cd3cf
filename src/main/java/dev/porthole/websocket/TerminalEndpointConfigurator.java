package dev.porthole.websocket;

import dev.porthole.security.SessionUsers;
import dev.porthole.terminal.TerminalOptions;
import dev.porthole.terminal.Terminals;
import jakarta.servlet.http.HttpSession;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * Builds each {@link TerminalEndpoint} with its dependencies and hands it the user and the credential (session or
 * API token) of the handshake. They are read here, during the handshake, because the HTTP request is gone once the
 * socket is open. Whether the socket compresses is decided here too, through the Jakarta API, so the setting works
 * on any server.
 */
public final class TerminalEndpointConfigurator extends ServerEndpointConfig.Configurator {

    private final Terminals terminals;
    private final TerminalOptions options;
    private final Compression compression;
    private final Keepalive keepalive;

    TerminalEndpointConfigurator(Terminals terminals, TerminalOptions options, Compression compression,
            Keepalive keepalive) {
        this.terminals = terminals;
        this.options = options;
        this.compression = compression;
        this.keepalive = keepalive;
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        return compression.admit(super.getNegotiatedExtensions(installed, requested));
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        HttpSession session = (HttpSession) request.getHttpSession();
        SessionUsers.of(request.getUserPrincipal(), session)
                .ifPresent(user -> config.getUserProperties().put(SessionUsers.ATTRIBUTE, user));
        SessionUsers.credentialOf(request.getUserPrincipal(), session)
                .ifPresent(credential -> config.getUserProperties().put(SessionUsers.CREDENTIAL_ATTRIBUTE, credential));
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new TerminalEndpoint(terminals, options, compression, keepalive));
    }
}
