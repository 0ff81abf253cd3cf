package dev.porthole.edge;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds each {@link HawserEndpoint} with its dependencies, hands it the client address that
 * {@link HawserHandshakeFilter} put in the handshake, and refuses any handshake with an {@code Origin}: agents
 * send none, and a browser has no business on this socket.
 */
final class HawserEndpointConfigurator extends ServerEndpointConfig.Configurator {
    private final EdgeAgents agents;
    private final AgentAuthenticator authenticator;
    private final HawserMessages messages;
    private final EdgeOptions options;
    private final Executor senders;
    private final ScheduledExecutorService timer;

    HawserEndpointConfigurator(EdgeAgents agents, AgentAuthenticator authenticator, HawserMessages messages,
            EdgeOptions options, Executor senders, ScheduledExecutorService timer) {
        this.agents = agents;
        this.authenticator = authenticator;
        this.messages = messages;
        this.options = options;
        this.senders = senders;
        this.timer = timer;
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return originHeaderValue == null;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        List<String> address = request.getHeaders().get(HawserHandshakeFilter.ADDRESS_HEADER);
        config.getUserProperties().put(HawserEndpoint.ADDRESS, address == null || address.isEmpty() ? "unknown" : address.get(0));
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(new HawserEndpoint(agents, authenticator, messages, options, senders, timer));
    }
}
