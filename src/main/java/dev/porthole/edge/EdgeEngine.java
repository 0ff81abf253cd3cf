package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.docker.AgentStatus;
import dev.porthole.docker.ContainerSummary;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.EngineExec;
import dev.porthole.docker.Environment;
import dev.porthole.docker.ExecState;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The engine of a hawser-edge environment: every call is a {@code request} to the environment's current agent,
 * and a terminal is the agent's {@code exec_start} session, started through {@link EdgeExec}.
 */
public final class EdgeEngine implements DockerEngine {
    private static final String PREFIX = "edge-";

    private final Environment environment;
    private final EdgeAgents agents;
    private final AgentPlaces places;
    private final HawserMessages messages;
    private final EdgeOptions options;
    private final Orphans orphans;
    private final Executor senders;
    private final ScheduledExecutorService timer;
    private final AgentCalls calls;
    private final AgentExecs execs;
    private final StartedExecFinder finder;
    private final SecureRandom random = new SecureRandom();
    /** The terminals started and not yet closed, to be dropped if this engine closes first. */
    private final Set<EdgeExec> started = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> startLocks = new ConcurrentHashMap<>();
    /** Why the agent goes when this engine closes (its token was revoked), or null: it stays. */
    private String dropAgent;
    private boolean closed;

    /** {@code senders} send the terminals' input; {@code timer} wakes them when it may go (see {@link InputSequencer}). */
    EdgeEngine(Environment environment, EdgeAgents agents, AgentPlaces places, HawserMessages messages,
            EdgeOptions options, Orphans orphans, Executor senders, ScheduledExecutorService timer) {
        this.environment = environment;
        this.agents = agents;
        this.places = places;
        this.messages = messages;
        this.options = options;
        this.orphans = orphans;
        this.senders = senders;
        this.timer = timer;
        this.calls = new AgentCalls(environment, () -> agents.current(environment), messages, places);
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
     * Checks the container (so that a missing or stopped one is a 404 or 409 now, as with a direct engine); the
     * agent creates the instance when the terminal starts. {@code processTag} cannot reach the agent's exec, which
     * carries no environment: the terminal has no TERM and no tag, and its processes are found by its session.
     */
    @Override
    public EngineExec terminalExec(String container, String shell, String user, String processTag, Executor behind) {
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
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return new EdgeExec(this, PREFIX + HexFormat.of().formatHex(bytes), id, shell, user == null ? "" : user);
    }

    /**
     * The terminal another node created, attached here: the agent starts it when it is, as for one created here,
     * through whichever node it is connected to; the container is checked again, as it is then.
     */
    @Override
    public EngineExec adoptTerminalExec(String container, String shell, String user,
            CompletionStage<String> engineExecId, String processTag) {
        return terminalExec(container, shell, user, processTag, null);
    }

    /**
     * Starts {@code exec} through the current agent and learns what the agent does not tell of it. When the agent is
     * connected to another node, that node starts it and relays its bytes: the terminal still runs here, where its
     * client is (see {@link RelayedStream}).
     */
    EdgeExec.Started start(EdgeExec exec) {
        if (agents.current(environment).isEmpty()) {
            Optional<AgentPlaces.RelayedStart> relayed = places.startElsewhere(environment.id(),
                    new AgentPlaces.ExecStart(environment.agentTokenSha256(), exec.id(), exec.containerId(),
                            exec.cmd(), exec.user()), startPatience());
            if (relayed.isPresent()) {
                return new EdgeExec.Started(new RelayedStream(relayed.get().link(), relayed.get().node(),
                        exec::closed), relayed.get().found());
            }
        }
        return startHere(exec);
    }

    /** The agent's exec_ready, and the few calls that find the instance and its session after it. */
    private Duration startPatience() {
        return options.execReadyTimeout().plus(environment.readTimeout().multipliedBy(3));
    }

    /**
     * Starts a terminal another node runs, whose agent is connected here: the agent's side of it runs here until that
     * node closes it or leaves ({@link RelayPump}), on {@code senders}.
     */
    StartedExecFinder.Found startRelayed(AgentPlaces.ExecStart start, RelayLink link) {
        EdgeExec exec = new EdgeExec(this, start.execId(), start.containerId(), start.cmd(), start.user());
        exec.start();
        EdgeExec.Started started = exec.started();
        new RelayPump(exec.id(), started.stream(), link).start(senders);
        return started.found();
    }

    private EdgeExec.Started startHere(EdgeExec exec) {
        AgentConnection connection = calls.connection();
        InputSequencer input = new InputSequencer(exec.id(), connection::sendFenced, messages, options.inputPace(),
                timer, senders, options.maxInputBytes());
        AgentExecStream stream = new AgentExecStream(exec.id(), connection, messages, input,
                options.terminalBufferBytes(), exec::closed);
        Set<String> fresh;
        // One start at a time per container: the new exec instance is found among those that appeared in the
        // container's list while the agent started it, and this Porthole's other starts are kept out of that.
        synchronized (startLocks.computeIfAbsent(exec.containerId(), k -> new Object())) {
            Set<String> before = finder.execIds(exec.containerId());
            connection.register(exec.id(), stream);
            connection.send(messages.execStart(exec.id(), exec.containerId(), exec.cmd(), exec.user(), 0, 0));
            try {
                stream.awaitReady(options.execReadyTimeout());
                fresh = finder.execIds(exec.containerId());
            } catch (PortholeException e) {
                stream.close();
                throw e;
            }
            fresh.removeAll(before);
        }
        return new EdgeExec.Started(stream, finder.find(exec.containerId(), fresh, exec.cmd(), exec.user(), stream));
    }

    void track(EdgeExec exec) {
        started.add(exec);
    }

    void forget(EdgeExec exec) {
        started.remove(exec);
    }

    /** The state of an exec instance the agent's engine knows by {@code engineExecId}. */
    ExecState inspect(String engineExecId) {
        return execs.inspect(engineExecId);
    }

    /**
     * A dead node's sweep would reach no agent now (it was connected to that node, say, and has not reconnected), and
     * would be lost: {@link Orphans} keeps it for the environment's next agent, on any node.
     */
    @Override
    public boolean endWhenBack(String container, ProcessMark mark) {
        if (mark == null || agents.current(environment).isPresent() || places.elsewhere(environment.id()).isPresent()) {
            return false;
        }
        orphan(container, mark);
        return true;
    }

    /** A closed terminal's session, left running because its agent went away: see {@link Orphans}. */
    void orphan(String containerId, ProcessMark mark) {
        orphans.add(environment, containerId, mark);
    }

    @Override
    public boolean isRunning(String container) {
        AgentPlaces.AgentReply reply = calls.call("GET", "/containers/" + container + "/json", null);
        if (reply.status() == 404) {
            return false;
        }
        if (!reply.ok()) {
            throw calls.failure("container " + container, reply);
        }
        return calls.json(reply).path("State").path("Running").asBoolean(false);
    }

    @Override
    public Integer run(String container, List<String> cmd, String user, Duration timeout) {
        return execs.run(container, cmd, user, timeout);
    }

    @Override
    public Captured capture(String container, List<String> cmd, String user, Duration timeout, int maxBytes) {
        return execs.capture(container, cmd, user, timeout, maxBytes);
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
        started.forEach(EdgeExec::close);
        if (reason != null) {
            agents.disconnect(environment, CloseReason.CloseCodes.NORMAL_CLOSURE, reason);
        }
    }
}
