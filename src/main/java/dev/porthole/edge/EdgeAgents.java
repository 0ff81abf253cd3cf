package dev.porthole.edge;

import dev.porthole.docker.AgentStatus;
import jakarta.websocket.CloseReason;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Told when an agent connects, per environment (an engine with work left from the last connection). */
    private final Map<Integer, java.util.List<Runnable>> onConnect = new ConcurrentHashMap<>();
    private final HawserMessages messages;
    private final EdgeOptions options;
    private final ScheduledFuture<?> ticks;
    private volatile long lastPingNanos = System.nanoTime();

    public EdgeAgents(HawserMessages messages, EdgeOptions options, ScheduledExecutorService timer) {
        this.messages = messages;
        this.options = options;
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
        onConnect.getOrDefault(id, java.util.List.of()).forEach(Runnable::run);
        connection.whenClosed().thenRun(() -> {
            lastKnown.put(id, connection.status());
            connections.remove(id, connection);
        });
    }

    /** Runs {@code listener} (on the new connection's reader thread: it must not block) when an agent of the environment connects. */
    void onConnect(int environmentId, Runnable listener) {
        onConnect.computeIfAbsent(environmentId, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(listener);
    }

    void removeOnConnect(int environmentId, Runnable listener) {
        onConnect.getOrDefault(environmentId, java.util.List.of()).remove(listener);
    }

    Optional<AgentConnection> current(int environmentId) {
        AgentConnection connection = connections.get(environmentId);
        return connection != null && connection.isOpen() ? Optional.of(connection) : Optional.empty();
    }

    /** The agent of an environment for the listing: the live one, or what the last one said. */
    public AgentStatus status(int environmentId) {
        return current(environmentId).map(AgentConnection::status)
                .orElseGet(() -> lastKnown.getOrDefault(environmentId, AgentStatus.NEVER_SEEN));
    }

    /** Closes the live connection of an environment, if any (its token was regenerated, or it was removed). */
    public void disconnect(int environmentId, CloseReason.CloseCode code, String reason) {
        AgentConnection connection = connections.get(environmentId);
        if (connection != null) {
            connection.close(code, reason);
        }
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
                connection.send(messages.ping(System.currentTimeMillis()));
            }
        }
    }

    @Override
    public void close() {
        ticks.cancel(false);
        connections.values().forEach(c -> c.close(CloseReason.CloseCodes.GOING_AWAY, "server is shutting down"));
    }
}
