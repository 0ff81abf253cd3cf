package dev.porthole.terminal;

import dev.porthole.docker.Environments;
import dev.porthole.security.SessionUsers;
import dev.porthole.security.WaitingExecs;
import dev.porthole.wire.SocketPaths;
import dev.porthole.wire.Subprotocols;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Assembles the terminal relay and hands the web app the three things it registers: service, endpoint, listener. */
public final class TerminalRelay {
    /** Longer than any handshake takes from the security filter to the endpoint; see {@link EndedCredentials}. */
    private static final Duration ENDED_REMEMBERED = Duration.ofMinutes(1);

    private final ExecTickets tickets;
    private final Terminals terminals;
    private final ExecService execService;
    private final TerminalOptions options;
    private final Compression compression;

    public TerminalRelay(Environments environments, TerminalOptions options, ExecutorService relayThreads,
            OutputSelectors selectors, ExecutorService engineThreads, ExecutorService pingThreads,
            ScheduledExecutorService timer, TerminalObserver observer) {
        this.options = options;
        this.compression = new Compression(options.deflate().enabled(), options.deflate().maxSockets());
        this.tickets = new ExecTickets(options.attachTimeout(), timer);
        EndedCredentials ended = new EndedCredentials(ENDED_REMEMBERED, System::nanoTime);
        long purge = ENDED_REMEMBERED.toMillis() / 2;
        timer.scheduleWithFixedDelay(ended::purge, purge, purge, TimeUnit.MILLISECONDS);
        TerminalStarts starts = new TerminalStarts();
        Closing closing = new Closing();
        ProcessReaper reaper = new ProcessReaper(engineThreads, options.sweepsPerEngine(), ProcessReaper.MAX_DEFER,
                starts, closing);
        this.terminals = new Terminals(tickets, ended, environments, reaper, starts, closing, relayThreads, selectors,
                observer);
        // Exec creates that run behind their answer go beside the relays: the engine pool is the sweeps', which wait
        // for their turn there.
        this.execService = new ExecService(environments, tickets, terminals, closing, starts, options.limits(),
                relayThreads, observer);
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

    /** The exec instances waiting for their socket, for the security filter's look at a terminal handshake. */
    public WaitingExecs waitingExecs() {
        return (execId, credential) -> tickets.find(execId, credential).map(ExecTicket::environment);
    }

    public ServerEndpointConfig endpointConfig() {
        return ServerEndpointConfig.Builder.create(TerminalEndpoint.class, SocketPaths.TERMINAL)
                .configurator(new TerminalEndpointConfigurator(terminals, options, compression))
                // The configurator leaves the choice to the container's default: the first one asked for that is here.
                .subprotocols(List.of(Subprotocols.BINARY))
                .build();
    }

    /**
     * Ends the terminals of a session when it is invalidated (sign-out, or a sign-in as someone else) or times out.
     * They are found by the session's credential, which its id changes do not touch.
     */
    public HttpSessionListener signOutListener() {
        return new HttpSessionListener() {
            @Override
            public void sessionDestroyed(HttpSessionEvent event) {
                HttpSession session = event.getSession();
                Ending why = SessionUsers.signedOut(session) ? Ending.SIGNED_OUT : Ending.SESSION_EXPIRED;
                SessionUsers.credentialOf(session).ifPresent(credential -> terminals.endAllOf(credential, why));
            }
        };
    }
}
