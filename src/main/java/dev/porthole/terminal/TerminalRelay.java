package dev.porthole.terminal;

import dev.porthole.docker.Environments;
import dev.porthole.security.SessionUsers;
import dev.porthole.wire.Subprotocols;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Assembles the terminal relay and hands the web app the three things it registers: service, endpoint, listener. */
public final class TerminalRelay {
    private final Terminals terminals;
    private final ExecTickets tickets;
    private final ExecService execService;
    private final TerminalOptions options;
    private final Compression compression;

    public TerminalRelay(Environments environments, TerminalOptions options, ExecutorService relayThreads,
            OutputSelectors selectors, ExecutorService engineThreads, ExecutorService pingThreads,
            ScheduledExecutorService timer, TerminalObserver observer) {
        this.options = options;
        this.compression = new Compression(options.deflate().enabled(), options.deflate().maxSockets());
        this.tickets = new ExecTickets(options.attachTimeout(), timer);
        this.terminals = new Terminals(tickets, environments, new ProcessReaper(engineThreads), relayThreads,
                selectors, observer);
        // Exec creates that run behind their answer go beside the relays, not on the engine pool: they are short, and
        // under churn that pool's queue is long with reaping that takes seconds per terminal.
        this.execService = new ExecService(environments, tickets, terminals, options.limits(), relayThreads, observer);
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

    /** Open terminals per environment id, for the environments that have any. */
    public Map<Integer, Integer> openByEnvironment() {
        return terminals.countByEnvironment();
    }

    /** Exec instances created and not yet attached, per environment id, for the environments that have any. */
    public Map<Integer, Integer> waitingByEnvironment() {
        return tickets.countByEnvironment();
    }

    public ServerEndpointConfig endpointConfig() {
        return ServerEndpointConfig.Builder.create(TerminalEndpoint.class, TerminalEndpoint.PATH)
                .configurator(new TerminalEndpointConfigurator(terminals, options, compression))
                // The configurator leaves the choice to the container's default: the first one asked for that is here.
                .subprotocols(List.of(Subprotocols.BINARY))
                .build();
    }

    /** Ends the terminals of a session when it is invalidated (sign-out) or times out. */
    public HttpSessionListener signOutListener() {
        return new HttpSessionListener() {
            @Override
            public void sessionDestroyed(HttpSessionEvent event) {
                HttpSession session = event.getSession();
                terminals.endAllOf(session.getId(),
                        SessionUsers.signedOut(session) ? Ending.SIGNED_OUT : Ending.SESSION_EXPIRED);
            }
        };
    }
}
