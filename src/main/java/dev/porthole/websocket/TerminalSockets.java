package dev.porthole.websocket;

import dev.porthole.terminal.TerminalOptions;
import dev.porthole.terminal.Terminals;
import dev.porthole.wire.SocketPaths;
import dev.porthole.wire.Subprotocols;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Assembles the terminal's WebSocket side: the endpoint's configuration, its compression budget and its keepalive. */
public final class TerminalSockets {
    private final Terminals terminals;
    private final TerminalOptions options;
    private final Compression compression;
    private final Keepalive keepalive;

    /** Pings go out on {@code pingThreads}; {@code timer} runs the keepalive rounds. */
    public TerminalSockets(Terminals terminals, TerminalOptions options, Executor pingThreads,
            ScheduledExecutorService timer) {
        this.terminals = terminals;
        this.options = options;
        this.compression = new Compression(options.deflate().enabled(), options.deflate().maxSockets());
        this.keepalive = new Keepalive(options.maxMissedPongs(), pingThreads);
        long ping = options.pingInterval().toMillis();
        timer.scheduleAtFixedRate(keepalive::round, ping, ping, TimeUnit.MILLISECONDS);
    }

    public ServerEndpointConfig endpointConfig() {
        return ServerEndpointConfig.Builder.create(TerminalEndpoint.class, SocketPaths.TERMINAL)
                .configurator(new TerminalEndpointConfigurator(terminals, options, compression, keepalive))
                // The configurator leaves the choice to the container's default: the first one asked for that is here.
                .subprotocols(List.of(Subprotocols.BINARY))
                .build();
    }
}
