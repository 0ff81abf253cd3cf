package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.EngineExec;
import dev.porthole.docker.ExecState;
import dev.porthole.docker.ProcessMark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ended terminals of one engine whose processes are still to be ended, and the sweeps that end them. At most
 * {@code sweepsAtOnce} run on the engine at a time, each on an engine thread, for the terminals of one container and
 * user: whatever ended there meanwhile shares its exec, so a burst of endings costs a few execs, not one each. Before a
 * sweep begins it waits for its turn ({@link Turn}), which lets terminals being started go first.
 */
final class ReapQueue {
    private static final Logger log = LoggerFactory.getLogger(ReapQueue.class);
    /** How often an exec that should have ended is asked about, 20 ms apart, before it is reported as a survivor. */
    private static final int SURVIVOR_INSPECTIONS = 50;
    /** Tags in one exec: each is an argument of 32 characters and a pattern for grep to try on every process. */
    static final int MAX_BATCH = 200;

    /**
     * One ended terminal: what to run once its processes are ended, and the exec whose process should have ended with
     * them, to be reported if it did not ({@code watched}; null when it exited by itself, or another node ran it).
     */
    record Ended(TerminalProcesses processes, EngineExec watched, Runnable then, long queuedNanos) {
    }

    /** When a sweep may begin; {@code oldestQueued} is when the oldest terminal it would end was queued. */
    interface Turn {
        void await(DockerEngine engine, long oldestQueued);
    }

    private record Group(String container, String user) {
    }

    private final DockerEngine engine;
    private final Executor threads;
    private final int sweepsAtOnce;
    private final Turn turn;
    private final Runnable onIdle;
    /** In the order of their oldest terminal. Guarded by this. */
    private final Map<Group, List<Ended>> waiting = new LinkedHashMap<>();
    private int sweeping;

    ReapQueue(DockerEngine engine, Executor threads, int sweepsAtOnce, Turn turn, Runnable onIdle) {
        this.engine = engine;
        this.threads = threads;
        this.sweepsAtOnce = sweepsAtOnce;
        this.turn = turn;
        this.onIdle = onIdle;
    }

    /** Queues {@code ended}; throws {@link RejectedExecutionException}, and keeps nothing, when the threads are shut down. */
    synchronized void add(Ended ended) {
        Group group = new Group(ended.processes().container(), ended.processes().user());
        List<Ended> list = waiting.computeIfAbsent(group, g -> new ArrayList<>());
        list.add(ended);
        if (sweeping < sweepsAtOnce) {
            try {
                threads.execute(this::drain);
                sweeping++;
            } catch (RejectedExecutionException e) {
                list.remove(ended);
                if (list.isEmpty()) {
                    waiting.remove(group);
                }
                throw e;
            }
        }
    }

    /** Whether nothing is queued or being swept, so that the queue may be forgotten. */
    synchronized boolean idle() {
        return sweeping == 0 && waiting.isEmpty();
    }

    private void drain() {
        while (true) {
            long oldest;
            synchronized (this) {
                if (waiting.isEmpty()) {
                    sweeping--;
                    break;
                }
                oldest = waiting.values().iterator().next().get(0).queuedNanos();
            }
            turn.await(engine, oldest);
            Group group;
            List<Ended> batch;
            synchronized (this) {
                Iterator<Map.Entry<Group, List<Ended>>> first = waiting.entrySet().iterator();
                if (!first.hasNext()) {
                    continue; // another sweep took it while this one waited
                }
                Map.Entry<Group, List<Ended>> entry = first.next();
                group = entry.getKey();
                List<Ended> all = entry.getValue();
                batch = new ArrayList<>(all.subList(0, Math.min(MAX_BATCH, all.size())));
                all.subList(0, batch.size()).clear();
                if (all.isEmpty()) {
                    first.remove();
                }
            }
            sweep(group, batch);
        }
        onIdle.run();
    }

    /** Always runs every terminal's {@code then}, whatever failed. */
    private void sweep(Group group, List<Ended> batch) {
        try {
            List<String> shells = new ArrayList<>();
            List<String> tags = new ArrayList<>();
            List<ProcessMark> sessions = new ArrayList<>();
            long oldest = Long.MAX_VALUE;
            for (Ended ended : batch) {
                shells.add(ended.processes().shell());
                ProcessMark mark = markOf(ended.processes());
                if (mark != null && mark.kind() == ProcessMark.Kind.TAG) {
                    tags.add(mark.value());
                    oldest = Math.min(oldest, ended.processes().createdNanos());
                } else if (mark != null) {
                    sessions.add(mark);
                }
            }
            Sweep sweep = new Sweep(engine, group.container(), group.user(), shells);
            sessions.forEach(sweep::endSession);
            if (!tags.isEmpty()) {
                sweep.endTagged(tags, Duration.ofNanos(System.nanoTime() - oldest));
            }
        } catch (RuntimeException e) {
            log.debug("ending the processes of {} terminals in {} failed: {}", batch.size(), group.container(), e.getMessage());
        } finally {
            for (Ended ended : batch) {
                try {
                    ended.then().run();
                } catch (RuntimeException e) {
                    log.warn("after ending the processes of terminal {}", ended.processes().id(), e);
                }
            }
        }
        for (Ended ended : batch) {
            if (ended.watched() != null) {
                reportSurvivor(ended.processes(), ended.watched());
            }
        }
    }

    /** How the terminal's processes are known; null when they cannot be found, or none was ever started. */
    private ProcessMark markOf(TerminalProcesses processes) {
        try {
            ProcessMark mark = processes.processMark();
            if (mark == null) {
                log.warn("the processes of terminal {} on {} cannot be found to be ended", processes.id(),
                        engine.environment());
            }
            return mark;
        } catch (RuntimeException e) {
            log.debug("terminal {} has no exec instance to end: {}", processes.id(), e.getMessage());
            return null;
        }
    }

    private void reportSurvivor(TerminalProcesses processes, EngineExec exec) {
        try {
            ExecState state = ExecState.awaitEndIn(exec::inspect, SURVIVOR_INSPECTIONS);
            if (!state.running() || Thread.currentThread().isInterrupted()) {
                return;
            }
            log.warn("the process of terminal {} in container {} on {} is still running after its terminal closed",
                    processes.id(), processes.container(), engine.environment());
        } catch (RuntimeException e) {
            log.debug("cannot inspect exec of {}: {}", processes.id(), e.getMessage());
        }
    }
}
