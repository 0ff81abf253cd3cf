package dev.porthole.edge;

import dev.porthole.docker.AgentStatus;
import dev.porthole.docker.Environment;
import jakarta.websocket.CloseReason;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The live agent connection of each edge environment, and their keepalive. One connection per environment: a
 * newer one replaces the older, whose pending requests fail and whose socket is closed (two agents sharing a
 * token flap, as with Dockhand). Every tick sends a {@code ping} to agents not pinged for the ping interval (any
 * JSON message renews the agent's read deadline; WebSocket pings do not) and closes those silent for longer than
 * {@code edge.dead-after}.
 */
public final class EdgeAgents implements AutoCloseable {
    private final Map<Integer, AgentConnection> connections = new ConcurrentHashMap<>();
    /** What the last connection of each environment said, for the listing after it went away. */
    private final Map<Integer, AgentStatus> lastKnown = new ConcurrentHashMap<>();
    /** Told when an agent connects (work left from an earlier connection of its environment). */
    private final List<Consumer<AgentConnection>> onConnect = new CopyOnWriteArrayList<>();
    private final EdgeOptions options;
    private final AgentPlaces places;
    private final ScheduledFuture<?> ticks;
    private volatile long lastPingNanos = System.nanoTime();

    /** {@code places} is told of each connection and its end, for the other nodes. */
    public EdgeAgents(EdgeOptions options, AgentPlaces places, ScheduledExecutorService timer) {
        this.options = options;
        this.places = places;
        long tick = Math.max(50, Math.min(options.pingInterval().toMillis(), options.deadAfter().toMillis() / 4));
        this.ticks = timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Makes {@code connection} its environment's current one, replacing (and closing) any older one. */
    void bind(AgentConnection connection) {
        int id = connection.environment().id();
        AgentConnection old = connections.put(id, connection);
        lastKnown.put(id, connection.status());
        if (old != null && old != connection) {
            old.close(CloseReason.CloseCodes.GOING_AWAY, "Connection replaced by new agent");
        }
        String name = UUID.randomUUID().toString();
        places.connected(id, name, connection.status());
        onConnect.forEach(listener -> listener.accept(connection));
        connection.whenClosed().thenRun(() -> {
            lastKnown.put(id, connection.status());
            connections.remove(id, connection);
            places.disconnected(id, name);
        });
    }

    /** Runs {@code listener} with each agent that connects, on its reader thread: it must not block. */
    void onConnect(Consumer<AgentConnection> listener) {
        onConnect.add(listener);
    }

    /** The live connection of an environment, whatever token it proved when it connected. */
    Optional<AgentConnection> current(int environmentId) {
        AgentConnection connection = connections.get(environmentId);
        return connection != null && connection.isOpen() ? Optional.of(connection) : Optional.empty();
    }

    /**
     * The live connection of {@code environment} as configured: one that proved its current token. After the token
     * was regenerated, the engine of the environment as it was still reaches the agent that proved the old one (to end
     * its terminals' processes), and the engine of the environment as it is now does not.
     */
    Optional<AgentConnection> current(Environment environment) {
        return current(environment.id()).filter(c -> Objects.equals(c.environment().agentTokenSha256(),
                environment.agentTokenSha256()));
    }

    /**
     * The agent of an environment for the listing: the live one, the one connected to another node as it was at its
     * hello, or what the last one here said.
     */
    public AgentStatus status(int environmentId) {
        return current(environmentId).map(AgentConnection::status)
                .or(() -> places.statusElsewhere(environmentId))
                .orElseGet(() -> lastKnown.getOrDefault(environmentId, AgentStatus.NEVER_SEEN));
    }

    /** Closes the connection of {@code environment} that proved its token, if any (it was regenerated, or removed). */
    void disconnect(Environment environment, CloseReason.CloseCode code, String reason) {
        current(environment).ifPresent(connection -> connection.close(code, reason));
    }

    private void tick() {
        long now = System.nanoTime();
        boolean pingDue = now - lastPingNanos >= options.pingInterval().toNanos();
        if (pingDue) {
            lastPingNanos = now;
        }
        for (AgentConnection connection : connections.values()) {
            if (connection.silentNanos() > options.deadAfter().toNanos()) {
                connection.close(CloseReason.CloseCodes.GOING_AWAY, "Connection timeout: nothing heard for "
                        + options.deadAfter().toMillis() + " ms");
            } else if (pingDue) {
                connection.ping();
            }
        }
    }

    @Override
    public void close() {
        ticks.cancel(false);
        connections.values().forEach(c -> c.close(CloseReason.CloseCodes.GOING_AWAY, "server is shutting down"));
    }
}
