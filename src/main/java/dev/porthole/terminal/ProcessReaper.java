package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Ends every process a terminal started. The engine has no call that kills an exec process, and dropping its
 * connection leaves the shell running; a shell that exits by itself leaves its background jobs running too (seen with
 * busybox sh and bash: {@code sleep 100 &} then {@code exit}). So each ended terminal is swept ({@link Sweep}) by a
 * short exec in its container, shared with the other terminals that ended there meanwhile ({@link ReapQueue}); only
 * a terminal whose container stopped, which took every process with it, needs none.
 *
 * <p>Sweeps have a bounded share of each engine, {@code sweepsPerEngine} at a time. A sweep begins {@code settle}
 * after the oldest ending it serves, then gives way to terminals being started there ({@link TerminalStarts}) until
 * {@code maxDefer} after that ending; it waits for neither while an exec create waits for closing terminals to finish
 * ({@link Closing}).
 */
final class ProcessReaper {
    /**
     * How long a sweep may wait for starts. Under steady churn a start is nearly always under way, and the wait is what
     * gathers the endings of that second into one exec; longer would hold shells and ptys in the containers longer.
     */
    static final Duration MAX_DEFER = Duration.ofSeconds(2);
    /**
     * How long a sweep lets its terminals settle first. A terminal is often reopened at once (a page reloaded, a
     * tab that reconnects): its exec start then came after the ending, and a sweep on the same container that began
     * meanwhile held the new prompt back by some 40 ms (measured: time to prompt 130 ms against 89 ms when the
     * previous terminal's sweep was over). Waiting also gathers more endings into one exec.
     */
    static final Duration SETTLE = Duration.ofSeconds(1);

    private final Executor threads;
    private final int sweepsPerEngine;
    private final Duration settle;
    private final Duration maxDefer;
    private final TerminalStarts starts;
    private final Closing closing;
    private final ConcurrentMap<DockerEngine, ReapQueue> queues = new ConcurrentHashMap<>();

    ProcessReaper(Executor threads, int sweepsPerEngine, Duration settle, Duration maxDefer, TerminalStarts starts,
            Closing closing) {
        this.threads = threads;
        this.sweepsPerEngine = sweepsPerEngine;
        this.settle = settle;
        this.maxDefer = maxDefer;
        this.starts = starts;
        this.closing = closing;
    }

    /**
     * Ends the processes of {@code spec} in the background, then runs {@code then}. {@code exited}: its process ended
     * by itself, so only what it left behind is looked for. Throws {@link java.util.concurrent.RejectedExecutionException}
     * when the engine threads are shut down.
     */
    void endProcesses(DockerEngine engine, TerminalSpec spec, boolean exited, Runnable then) {
        queue(engine, new ReapQueue.Ended(spec, exited ? null : spec.exec(), then, System.nanoTime()));
    }

    /** Ends the processes of a terminal another node ran, as {@link #endProcesses(DockerEngine, TerminalSpec, boolean, Runnable)}. */
    void endProcesses(DockerEngine engine, RunningProcess process, Runnable then) {
        queue(engine, new ReapQueue.Ended(process, null, then, System.nanoTime()));
    }

    private void queue(DockerEngine engine, ReapQueue.Ended ended) {
        queues.compute(engine, (key, queue) -> {
            ReapQueue into = queue != null ? queue : new ReapQueue(engine, threads, sweepsPerEngine, this::awaitTurn,
                    () -> forgetIfIdle(engine));
            into.add(ended);
            return into;
        });
    }

    /** A queue with nothing to do is dropped, so that a retired engine's is not kept. */
    private void forgetIfIdle(DockerEngine engine) {
        queues.computeIfPresent(engine, (key, queue) -> queue.idle() ? null : queue);
    }

    private void awaitTurn(DockerEngine engine, long oldestQueued) {
        if (closing.waitedFor()) {
            return;
        }
        long settling = oldestQueued + settle.toNanos() - System.nanoTime();
        if (settling > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(settling);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // shutting down: sweep now, while the engine threads still run
                return;
            }
        }
        long left = oldestQueued + maxDefer.toNanos() - System.nanoTime();
        if (left > 0) {
            starts.awaitNone(engine.environment(), Duration.ofNanos(left));
        }
    }
}
