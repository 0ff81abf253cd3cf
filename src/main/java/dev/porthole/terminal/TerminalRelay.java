package dev.porthole.terminal;

import dev.porthole.docker.Environments;
import dev.porthole.security.WaitingExecs;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Assembles the terminal core and hands the web app what it uses of it: the exec service, the terminals, the waiting execs. */
public final class TerminalRelay {
    /** Longer than any handshake takes from the security filter to the endpoint; see {@link EndedCredentials}. */
    private static final Duration ENDED_REMEMBERED = Duration.ofMinutes(1);

    private final Terminals terminals;
    private final ExecService execService;

    public TerminalRelay(Environments environments, TerminalOptions options, ExecutorService terminalThreads,
            OutputSelectors selectors, ExecutorService engineThreads, ScheduledExecutorService timer,
            TerminalObserver observer, TerminalDirectory directory) {
        EndedCredentials ended = new EndedCredentials(ENDED_REMEMBERED, System::nanoTime);
        long purge = ENDED_REMEMBERED.toMillis() / 2;
        timer.scheduleWithFixedDelay(ended::purge, purge, purge, TimeUnit.MILLISECONDS);
        TerminalStarts starts = new TerminalStarts();
        Closing closing = new Closing();
        ProcessReaper reaper = new ProcessReaper(engineThreads, options.sweepsPerEngine(), ProcessReaper.SETTLE,
                ProcessReaper.MAX_DEFER, starts, closing);
        this.terminals = new Terminals(options.attachTimeout(), timer, ended, environments, closing,
                new TerminalParts(reaper, starts, terminalThreads, selectors, observer), directory);
        // Exec creates that run behind their answer go beside the relays: the engine pool is the sweeps', which wait
        // for their turn there.
        this.execService = new ExecService(environments, terminals, closing, starts, options.limits(),
                terminalThreads, observer);
        environments.addListener(terminals::endAllOn);
    }

    public ExecService execService() {
        return execService;
    }

    public Terminals terminals() {
        return terminals;
    }

    /** Open terminals per environment id, for the environments that have any. */
    public Map<Integer, Integer> openByEnvironment() {
        return terminals.countOpenByEnvironment();
    }

    /** Exec instances created and not yet attached, per environment id, for the environments that have any. */
    public Map<Integer, Integer> waitingByEnvironment() {
        return terminals.countWaitingByEnvironment();
    }

    /** The exec instances waiting for their socket, for the security filter's look at a terminal handshake. */
    public WaitingExecs waitingExecs() {
        return terminals::waitingEnvironment;
    }
}
