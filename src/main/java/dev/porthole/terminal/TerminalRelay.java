package dev.porthole.terminal;

import dev.porthole.docker.Environments;
import dev.porthole.wire.Subprotocols;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Assembles the terminal relay and hands the web app the three things it registers: service, endpoint, listener. */
public final class TerminalRelay {
    private final Terminals terminals;
    private final ExecService execService;
    private final TerminalOptions options;

    public TerminalRelay(Environments environments, TerminalOptions options, ExecutorService relayThreads,
            OutputSelectors selectors, ExecutorService engineThreads, ExecutorService pingThreads,
            ScheduledExecutorService timer, TerminalObserver observer) {
        this.options = options;
        ExecTickets tickets = new ExecTickets(options.attachTimeout(), timer);
        TerminalStarts starts = new TerminalStarts();
        Closing closing = new Closing();
        ProcessReaper reaper = new ProcessReaper(engineThreads, options.sweepsPerEngine(), ProcessReaper.MAX_DEFER,
                starts, closing);
        this.terminals = new Terminals(tickets, environments, reaper, starts, closing, relayThreads, selectors, observer);
        // Exec creates that run behind their answer go beside the relays: the engine pool is the sweeps', which wait
        // for their turn there.
        this.execService = new ExecService(environments, tickets, terminals, closing, starts, options.limits(),
                relayThreads);
        environments.addListener(terminals::endAllOn);
        long ping = options.pingInterval().toMillis();
        timer.scheduleAtFixedRate(() -> terminals.keepalive(options.maxMissedPongs(), pingThreads), ping, ping,
                TimeUnit.MILLISECONDS);
    }

    public ExecService execService() {
        return execService;
    }

    public Terminals terminals() {
        return terminals;
    }

    public ServerEndpointConfig endpointConfig() {
        return ServerEndpointConfig.Builder.create(TerminalEndpoint.class, TerminalEndpoint.PATH)
                .configurator(new TerminalEndpointConfigurator(terminals, options))
                // The configurator leaves the choice to the container's default: the first one asked for that is here.
                .subprotocols(List.of(Subprotocols.BINARY))
                .build();
    }

    /** Ends the terminals of a session when it is invalidated (sign-out) or times out. */
    public HttpSessionListener signOutListener() {
        return new HttpSessionListener() {
            @Override
            public void sessionDestroyed(HttpSessionEvent event) {
                terminals.endAllOf(event.getSession().getId());
            }
        };
    }
}
