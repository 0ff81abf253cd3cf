package dev.porthole.edge;

import dev.porthole.docker.EngineExec;
import dev.porthole.docker.ExecState;
import dev.porthole.docker.ExecStream;
import dev.porthole.docker.ProcessMark;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A terminal's exec through an agent. The agent's {@code exec_start} both creates and starts it, so until the
 * terminal's client attached this is only what to start (the container was checked when it was made); the start
 * learns the engine's id of the instance and the terminal's session ({@link StartedExecFinder}), which give the exit
 * code and the processes to end. It is forgotten with its terminal: a terminal never attached costs the agent nothing.
 */
final class EdgeExec implements EngineExec {
    /** Its stream, and what the start learnt of it. */
    record Started(EdgeStream stream, StartedExecFinder.Found found) {
    }

    private final EdgeEngine engine;
    /** The terminal's id in the agent's protocol. */
    private final String id;
    private final String containerId;
    private final String cmd;
    private final String user;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile Started started;
    /** Set once its stream closed: its agent may be gone with it, and nothing more is asked of the agent. */
    private volatile boolean closed;

    EdgeExec(EdgeEngine engine, String id, String containerId, String cmd, String user) {
        this.engine = engine;
        this.id = id;
        this.containerId = containerId;
        this.cmd = cmd;
        this.user = user;
    }

    String id() {
        return id;
    }

    String containerId() {
        return containerId;
    }

    String cmd() {
        return cmd;
    }

    String user() {
        return user;
    }

    /** Made when the container was checked; the agent creates the instance at the start. */
    @Override
    public CompletionStage<Void> created() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public ExecStream start() {
        if (!claimed.compareAndSet(false, true)) {
            throw new PortholeException(Problem.NOT_FOUND, "exec instance " + id + " was started already");
        }
        Started now = engine.start(this);
        started = now;
        engine.track(this);
        return now.stream();
    }

    /** What its start gave; null before it. */
    Started started() {
        return started;
    }

    @Override
    public void resize(int rows, int cols) {
        Started now = started;
        if (now == null || closed) {
            throw new PortholeException(Problem.NOT_FOUND, "exec instance " + id + " is not running on "
                    + engine.environment());
        }
        now.stream().resize(cols, rows);
    }

    /** Its identified exec instance's state; without one, running until its stream ended. */
    @Override
    public ExecState inspect() {
        Started now = started;
        if (now == null || closed || now.found().engineExecId() == null) {
            return new ExecState(now != null && !closed && !now.stream().hasEnded(), null);
        }
        return engine.inspect(now.found().engineExecId());
    }

    /** The terminal's session, learnt when it started; null when it could not be, or it never started. */
    @Override
    public ProcessMark processMark() {
        Started now = started;
        return now == null || closed ? null : now.found().mark();
    }

    /**
     * Its stream closed, which the terminal does after the reaper ran. If its agent connection is gone by then, the
     * reaper's calls could not have reached the container (or not all of them): the session is left to
     * {@link Orphans}, which ends it through the next agent of the environment.
     */
    void closed() {
        closed = true;
        Started now = started;
        engine.forget(this);
        if (now != null && now.found().mark() != null && !now.stream().connectionOpen()) {
            engine.orphan(containerId, now.found().mark());
        }
    }

    /** Drops its stream, if it started: its engine closes. */
    void close() {
        Started now = started;
        if (now != null) {
            now.stream().close();
        }
    }
}
