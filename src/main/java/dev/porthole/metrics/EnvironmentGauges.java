package dev.porthole.metrics;

import dev.porthole.docker.Environment;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gauges that have one value per environment: one series for each configured environment (zero included, so
 * that a dashboard sees an idle environment rather than none), added and removed as environments come and go.
 * Set from a {@link Census} just before each scrape; not thread-safe, the scrape serialises it.
 */
final class EnvironmentGauges {
    private final MeterRegistry registry;
    private final Census census;
    private final Family open;
    private final Family waiting;
    private final Family agents;

    EnvironmentGauges(MeterRegistry registry, Census census) {
        this.registry = registry;
        this.census = census;
        this.open = new Family("porthole.terminals.open", "terminals attached and not yet ended");
        this.waiting = new Family("porthole.exec.waiting", "exec instances created and waiting for their socket");
        this.agents = new Family("porthole.agents.connected", "1 while the Hawser agent of an edge environment is connected");
    }

    void refresh() {
        Collection<Environment> environments = census.environments().get();
        Map<Integer, Integer> openCounts = census.openTerminals().get();
        Map<Integer, Integer> waitingCounts = census.waitingExecs().get();
        Map<Integer, Integer> openNow = new HashMap<>();
        Map<Integer, Integer> waitingNow = new HashMap<>();
        Map<Integer, Integer> agentsNow = new HashMap<>();
        for (Environment environment : environments) {
            int id = environment.id();
            openNow.put(id, openCounts.getOrDefault(id, 0));
            waitingNow.put(id, waitingCounts.getOrDefault(id, 0));
            if (environment.isEdge()) {
                agentsNow.put(id, census.agentConnected().test(id) ? 1 : 0);
            }
        }
        open.set(openNow);
        waiting.set(waitingNow);
        agents.set(agentsNow);
    }

    /** One gauge name, with a series per environment id. */
    private final class Family {
        private final String name;
        private final String description;
        private final Map<Integer, Series> series = new HashMap<>();

        Family(String name, String description) {
            this.name = name;
            this.description = description;
        }

        void set(Map<Integer, Integer> values) {
            Set<Integer> gone = new HashSet<>(series.keySet());
            gone.removeAll(values.keySet());
            for (Integer id : gone) {
                registry.remove(series.remove(id).gauge());
            }
            values.forEach((id, value) -> series.computeIfAbsent(id, this::register).value().set(value));
        }

        private Series register(int id) {
            AtomicInteger value = new AtomicInteger();
            Gauge gauge = Gauge.builder(name, value, AtomicInteger::get).description(description)
                    .tag(Metrics.ENVIRONMENT, String.valueOf(id)).strongReference(true).register(registry);
            return new Series(gauge, value);
        }
    }

    private record Series(Gauge gauge, AtomicInteger value) {
    }
}
