package dev.porthole.edge;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.function.Supplier;

/**
 * Makes each {@link HawserEndpoint}, hands it the client address that {@link HawserHandshakeFilter} put in the
 * handshake, and refuses any handshake with an {@code Origin}: agents send none, and a browser has no business on
 * this socket.
 */
final class HawserEndpointConfigurator extends ServerEndpointConfig.Configurator {
    private final Supplier<HawserEndpoint> endpoints;

    HawserEndpointConfigurator(Supplier<HawserEndpoint> endpoints) {
        this.endpoints = endpoints;
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
        return endpointClass.cast(endpoints.get());
    }
}
