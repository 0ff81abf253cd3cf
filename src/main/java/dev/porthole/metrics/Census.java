package dev.porthole.metrics;

import dev.porthole.docker.Environment;
import java.util.Collection;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * What the gauges read at each scrape: the configured environments, and per environment id the open terminals,
 * the exec instances waiting for their socket, and whether an edge environment's agent is connected. Maps leave
 * out the environments at zero.
 */
public record Census(Supplier<Collection<Environment>> environments, Supplier<Map<Integer, Integer>> openTerminals,
        Supplier<Map<Integer, Integer>> waitingExecs, IntPredicate agentConnected) {
}
