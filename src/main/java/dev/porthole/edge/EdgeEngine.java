package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.docker.AgentStatus;
import dev.porthole.docker.ContainerSummary;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.Environment;
import dev.porthole.docker.ExecState;
import dev.porthole.docker.ExecStream;
import dev.porthole.docker.ProcessMark;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import jakarta.websocket.CloseReason;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The engine of a hawser-edge environment: every call is a {@code request} to the environment's current agent,
 * and a terminal is the agent's {@code exec_start} session.
 *
 * <p>A terminal's exec cannot be created when Porthole's API asks for one, since {@code exec_start} both creates
 * and starts it: {@link #createExec} checks the container (so a missing or stopped one is a 404 or 409 then, as
 * with a direct engine) and answers an id of Porthole's own; {@link #startTty} starts it at attach time and learns
 * the engine's exec id and the terminal's session ({@link StartedExecFinder}), which give the exit code and the
 * processes to end.
 */
public final class EdgeEngine implements DockerEngine {
    private static final String PREFIX = "edge-";
    /** A planned terminal never attached is forgotten after this long (the attach timeout is far shorter). */
    private static final long PLAN_TTL_NANOS = Duration.ofMinutes(10).toNanos();

    /** A terminal asked for and not attached yet. */
    private record Plan(String containerId, String cmd, String user, long created) {
    }

    /** A started terminal: what was learnt about it. */
    private record Started(AgentExecStream stream, String containerId, String engineExecId, ProcessMark mark) {
    }

    private final Environment environment;
    private final EdgeAgents agents;
    private final HawserMessages messages;
    private final EdgeOptions options;
    private final Orphans orphans;
    private final Executor senders;
    private final ScheduledExecutorService timer;
    private final AgentCalls calls;
    private final AgentExecs execs;
    private final StartedExecFinder finder;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, Started> started = new ConcurrentHashMap<>();
    private final Map<String, Object> startLocks = new ConcurrentHashMap<>();
    /** Why the agent goes when this engine closes (its token was revoked), or null: it stays. */
    private String dropAgent;
    private boolean closed;

    /** {@code senders} send the terminals' input; {@code timer} wakes them when it may go (see {@link InputSequencer}). */
    EdgeEngine(Environment environment, EdgeAgents agents, HawserMessages messages, EdgeOptions options,
            Orphans orphans, Executor senders, ScheduledExecutorService timer) {
        this.environment = environment;
        this.agents = agents;
        this.messages = messages;
        this.options = options;
        this.orphans = orphans;
        this.senders = senders;
        this.timer = timer;
        this.calls = new AgentCalls(environment, () -> agents.current(environment), messages);
        this.execs = new AgentExecs(calls, messages);
        this.finder = new StartedExecFinder(calls, execs);
    }

    @Override
    public Environment environment() {
        return environment;
    }

    @Override
    public void ping() {
        calls.checked("ping", "GET", "/_ping", null);
    }

    @Override
    public Optional<AgentStatus> agent() {
        return Optional.of(agents.status(environment.id()));
    }

    @Override
    public List<ContainerSummary> containers() {
        List<ContainerSummary> list = new ArrayList<>();
        for (JsonNode c : calls.json(calls.checked("container list", "GET", "/containers/json?all=1", null))) {
            List<String> names = new ArrayList<>();
            c.path("Names").forEach(n -> names.add(n.asText().replaceFirst("^/", "")));
            list.add(new ContainerSummary(c.path("Id").asText(), List.copyOf(names), c.path("Image").asText(null),
                    c.path("State").asText(null), c.path("Status").asText(null)));
        }
        return list;
    }

    /**
     * A TTY exec is only planned (see the class comment); {@code env} cannot reach the agent's exec, so the
     * terminal has no TERM and no session tag. A non-TTY exec is created at once.
     */
    @Override
    public String createExec(String container, List<String> cmd, String user, List<String> env, boolean tty) {
        if (!tty) {
            return execs.create(container, cmd, user, env, false);
        }
        if (cmd.size() != 1) {
            throw PortholeException.badRequest("a terminal through a Hawser agent runs one program without arguments");
        }
        JsonNode state = finder.container(container);
        String id = state.path("Id").asText(container);
        if (!state.path("State").path("Running").asBoolean(false)) {
            throw new PortholeException(Problem.CONFLICT, "container " + container + ": Container " + id
                    + " is not running");
        }
        if (state.path("State").path("Paused").asBoolean(false)) {
            throw new PortholeException(Problem.CONFLICT, "container " + container + ": Container " + id
                    + " is paused, unpause the container before exec");
        }
        long now = System.nanoTime();
        plans.values().removeIf(p -> now - p.created() > PLAN_TTL_NANOS);
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String execId = PREFIX + HexFormat.of().formatHex(bytes);
        plans.put(execId, new Plan(id, cmd.get(0), user == null ? "" : user, now));
        return execId;
    }

    @Override
    public ExecStream startTty(String execId) {
        Plan plan = plans.remove(execId);
        if (plan == null) {
            throw new PortholeException(Problem.NOT_FOUND, "exec instance " + execId + " is unknown to " + environment);
        }
        AgentConnection connection = calls.connection();
        InputSequencer input = new InputSequencer(execId, connection::sendFenced, messages, options.inputPace(), timer,
                senders, options.maxInputBytes());
        AgentExecStream stream = new AgentExecStream(execId, connection, messages, input, options.terminalBufferBytes(),
                () -> closed(execId));
        Set<String> fresh;
        // One start at a time per container: the new exec instance is found among those that appeared in the
        // container's list while the agent started it, and this Porthole's other starts are kept out of that.
        synchronized (startLocks.computeIfAbsent(plan.containerId(), k -> new Object())) {
            Set<String> before = finder.execIds(plan.containerId());
            connection.register(execId, stream);
            connection.send(messages.execStart(execId, plan.containerId(), plan.cmd(), plan.user(), 0, 0));
            try {
                stream.awaitReady(options.execReadyTimeout());
                fresh = finder.execIds(plan.containerId());
            } catch (PortholeException e) {
                stream.close();
                throw e;
            }
            fresh.removeAll(before);
        }
        StartedExecFinder.Found found = finder.find(plan.containerId(), fresh, plan.cmd(), plan.user(), stream);
        started.put(execId, new Started(stream, plan.containerId(), found.engineExecId(), found.mark()));
        return stream;
    }

    @Override
    public void resize(String execId, int rows, int cols) {
        Started terminal = started.get(execId);
        if (terminal == null) {
            throw new PortholeException(Problem.NOT_FOUND, "exec instance " + execId + " is not running on " + environment);
        }
        terminal.stream().resize(cols, rows);
    }

    @Override
    public boolean isRunning(String container) {
        AgentCalls.Reply reply = calls.call("GET", "/containers/" + container + "/json", null);
        if (reply.status() == 404) {
            return false;
        }
        if (!reply.ok()) {
            throw calls.failure("container " + container, reply);
        }
        return calls.json(reply).path("State").path("Running").asBoolean(false);
    }

    /** For a terminal: its identified exec instance's state; without one, running until its stream ended. */
    @Override
    public ExecState inspect(String execId) {
        if (!execId.startsWith(PREFIX)) {
            return execs.inspect(execId);
        }
        Started terminal = started.get(execId);
        if (terminal == null || terminal.engineExecId() == null) {
            return new ExecState(terminal != null && !terminal.stream().hasEnded(), null);
        }
        return execs.inspect(terminal.engineExecId());
    }

    @Override
    public Integer run(String container, List<String> cmd, String user, Duration timeout) {
        return execs.run(container, cmd, user, timeout);
    }

    @Override
    public Captured capture(String container, List<String> cmd, String user, Duration timeout, int maxBytes) {
        return execs.capture(container, cmd, user, timeout, maxBytes);
    }

    /** The terminal's session, learnt when it started; null when it could not be (see {@link StartedExecFinder}). */
    @Override
    public ProcessMark processMark(String execId, String processTag) {
        Started terminal = started.get(execId);
        return terminal == null ? null : terminal.mark();
    }

    /**
     * The relay closes the stream after the reaper ran. If the terminal's agent connection is gone by then, the
     * reaper's calls could not have reached the container (or not all of them): the session is left to
     * {@link Orphans}, which ends it through the next agent of the environment, or at once through one that has
     * already replaced this one.
     */
    private void closed(String execId) {
        Started terminal = started.remove(execId);
        if (terminal == null || terminal.mark() == null || terminal.stream().connectionOpen()) {
            return;
        }
        orphans.add(environment.id(), terminal.containerId(), terminal.mark());
    }

    /**
     * The token this engine's agent proved was revoked (regenerated, or the environment removed): the agent is
     * dropped when this engine closes, which is once its terminals have ended their processes through it, so that
     * none is left running for want of an agent. Until then no other engine reaches it
     * ({@link EdgeAgents#current(Environment)}).
     */
    void dropAgentWhenClosed(String reason) {
        boolean now;
        synchronized (this) {
            dropAgent = reason;
            now = closed;
        }
        if (now) {
            agents.disconnect(environment, CloseReason.CloseCodes.NORMAL_CLOSURE, reason);
        }
    }

    /**
     * Drops the terminals still open; the agent connection belongs to {@link EdgeAgents}, and stays, unless its token
     * was revoked ({@link #dropAgentWhenClosed}).
     */
    @Override
    public void close() {
        String reason;
        synchronized (this) {
            closed = true;
            reason = dropAgent;
        }
        started.values().forEach(s -> s.stream().close());
        plans.clear();
        if (reason != null) {
            agents.disconnect(environment, CloseReason.CloseCodes.NORMAL_CLOSURE, reason);
        }
    }
}
