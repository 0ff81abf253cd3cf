package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.error.PortholeException;
import dev.porthole.security.WaitingExecs;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Assembles the terminal core and hands the web app what it uses of it: the exec service, the terminals, the waiting execs. */
public final class TerminalRelay {
    private static final Logger log = LoggerFactory.getLogger(TerminalRelay.class);
    /** Longer than any handshake takes from the security filter to the endpoint; see {@link EndedCredentials}. */
    private static final Duration ENDED_REMEMBERED = Duration.ofMinutes(1);

    private final Terminals terminals;
    private final ExecService execService;
    private final ProcessReaper reaper;
    private final Environments environments;

    public TerminalRelay(Environments environments, TerminalOptions options, ExecutorService terminalThreads,
            OutputSelectors selectors, ExecutorService engineThreads, ScheduledExecutorService timer,
            TerminalObserver observer, ProcessLedger ledger, TerminalDirectory directory) {
        EndedCredentials ended = new EndedCredentials(ENDED_REMEMBERED, System::nanoTime);
        long purge = ENDED_REMEMBERED.toMillis() / 2;
        timer.scheduleWithFixedDelay(ended::purge, purge, purge, TimeUnit.MILLISECONDS);
        TerminalStarts starts = new TerminalStarts();
        Closing closing = new Closing();
        ProcessReaper reaper = new ProcessReaper(engineThreads, options.sweepsPerEngine(), ProcessReaper.SETTLE,
                ProcessReaper.MAX_DEFER, starts, closing);
        this.terminals = new Terminals(options.attachTimeout(), timer, ended, environments, closing,
                new TerminalParts(reaper, starts, terminalThreads, selectors, observer, ledger), directory);
        this.reaper = reaper;
        this.environments = environments;
        // Exec creates that run behind their answer go beside the relays: the engine pool is the sweeps', which wait
        // for their turn there.
        this.execService = new ExecService(environments, terminals, closing, starts, options.limits(),
                terminalThreads, observer);
        environments.addListener(terminals::endAllOn);
    }

    /**
     * Ends the processes of a terminal that another node ran, through this node's sweeps, as if it were one of its
     * own; {@code then} runs once they are ended, or at once when its environment is gone (nothing to reach it by).
     * For the {@link ProcessLedger.Reaper} of a node that died.
     */
    public void endProcesses(RunningProcess process, Runnable then) {
        Optional<Environment> environment = environments.find(process.environmentId());
        if (environment.isEmpty()) {
            log.warn("the processes of terminal {} cannot be ended: environment {} is no longer configured",
                    process.execId(), process.environmentId());
            then.run();
            return;
        }
        try {
            DockerEngine engine = environments.engine(environment.get());
            if (engine.endWhenBack(process.container(), process.processMark())) {
                then.run(); // this node keeps them now
                return;
            }
            reaper.endProcesses(engine, process, then);
        } catch (PortholeException e) {
            log.warn("the processes of terminal {} cannot be ended: {}", process.execId(), e.getMessage());
            then.run();
        }
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
