package dev.porthole.metrics;

import dev.porthole.error.Problem;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The histogram buckets of Porthole's timers, and the {@code outcome} tag they share. */
final class Latencies {
    /**
     * From a unix-socket engine's sub-millisecond calls to a slow agent's and a timed-out engine's tens of seconds;
     * fixed, so that every series has the same fourteen buckets (a percentile histogram would add about seventy).
     */
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30)};
    static final String OK = "ok";

    private Latencies() {
    }

    static Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS);
    }

    /** {@code ok}, or the problem's name in lower case ({@code not_found}, {@code engine_unreachable}, ...). */
    static String outcome(Problem refusal) {
        return refusal == null ? OK : refusal.name().toLowerCase(java.util.Locale.ROOT);
    }
}
