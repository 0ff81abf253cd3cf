package dev.porthole.edge;

import dev.porthole.docker.Environment;
import dev.porthole.docker.ProcessMark;
import dev.porthole.docker.ReapScript;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminals whose processes could not be ended when they closed, because the agent they ran through was gone: kept
 * per environment id, and ended through the next agent of that environment to connect, whatever its token and
 * whichever engine serves the environment by then (a regenerated token makes a new one), to this node or, in a
 * cluster, to another one (through it). Kept in memory only: a restart of Porthole forgets them.
 *
 * <p>An orphan's session is ended by the leader's pid and start time ({@link ReapScript#session}), in the
 * container by its full id: a pid reused meanwhile, or another host's container, is left alone.
 */
final class Orphans {
    private static final Logger log = LoggerFactory.getLogger(Orphans.class);

    private record Orphan(Environment environment, String containerId, ProcessMark mark) {
        int environmentId() {
            return environment.id();
        }
    }

    private final Set<Orphan> waiting = ConcurrentHashMap.newKeySet();
    private final EdgeAgents agents;
    private final AgentPlaces places;
    private final HawserMessages messages;
    private final Executor workers;

    Orphans(EdgeAgents agents, AgentPlaces places, HawserMessages messages, Executor workers) {
        this.agents = agents;
        this.places = places;
        this.messages = messages;
        this.workers = workers;
        agents.onConnect(this::endLater);
        places.onConnectedElsewhere(this::endElsewhereLater);
    }

    /** Keeps a terminal's session to end; at once if an agent of its environment is already connected, here or not. */
    void add(Environment environment, String containerId, ProcessMark mark) {
        waiting.add(new Orphan(environment, containerId, mark));
        log.info("the processes of a terminal in container {} on environment {} are ended when its agent is back",
                containerId, environment.id());
        agents.current(environment.id()).ifPresentOrElse(this::endLater, () -> {
            if (places.elsewhere(environment.id()).isPresent()) {
                endElsewhereLater(environment.id());
            }
        });
    }

    /** On the grid's event thread: the work goes to a worker. */
    private void endElsewhereLater(int environmentId) {
        Optional<Orphan> any = waiting.stream().filter(o -> o.environmentId() == environmentId).findAny();
        if (any.isEmpty()) {
            return;
        }
        AgentExecs execs = new AgentExecs(AgentCalls.elsewhere(any.get().environment(), messages, places), messages);
        try {
            workers.execute(() -> end(environmentId, execs, () -> agents.current(environmentId).isEmpty(),
                    "agent connected to another node"));
        } catch (RejectedExecutionException shuttingDown) {
            // the orphans stay where they are; nothing runs any more
        }
    }

    /** On the connection's reader thread (or the caller's): the work goes to a worker. */
    private void endLater(AgentConnection connection) {
        int id = connection.environment().id();
        if (waiting.stream().noneMatch(o -> o.environmentId() == id)) {
            return;
        }
        try {
            workers.execute(() -> end(connection));
        } catch (RejectedExecutionException shuttingDown) {
            // the orphans stay where they are; nothing runs any more
        }
    }

    private void end(AgentConnection connection) {
        AgentExecs execs = new AgentExecs(new AgentCalls(connection.environment(),
                () -> Optional.of(connection).filter(AgentConnection::isOpen), messages, AgentPlaces.NONE), messages);
        end(connection.environment().id(), execs, connection::isOpen, connection.describe());
    }

    /** Ends the orphans of environment {@code id} through {@code execs}, while {@code usable}. */
    private void end(int id, AgentExecs execs, BooleanSupplier usable, String through) {
        for (Orphan orphan : waiting) {
            if (orphan.environmentId() != id || !usable.getAsBoolean()) {
                continue;
            }
            ProcessMark mark = orphan.mark();
            try {
                List<String> cmd = new ArrayList<>(List.of("/bin/sh"));
                cmd.addAll(ReapScript.session(mark));
                execs.run(orphan.containerId(), cmd, "0", Duration.ofSeconds(10));
                waiting.remove(orphan);
                log.info("ended the processes left by a terminal in container {} through the {}", orphan.containerId(),
                        through);
            } catch (PortholeException e) {
                if (e.problem() == Problem.NOT_FOUND) {
                    waiting.remove(orphan); // the container is gone, and its processes with it
                } else {
                    log.debug("cannot end the processes left in container {} yet: {}", orphan.containerId(), e.getMessage());
                }
            }
        }
    }
}
