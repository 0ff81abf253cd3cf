package dev.porthole.metrics;

import dev.porthole.error.Problem;
import dev.porthole.terminal.Ending;
import dev.porthole.terminal.TerminalObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * Counts what terminals do, per environment: exec creates and how long their answers took, the bytes each way,
 * and how terminals ended. The byte counters of a terminal are looked up once, at its start, so the output path
 * pays one addition per chunk.
 */
final class TerminalMeters implements TerminalObserver {
    private final MeterRegistry registry;

    TerminalMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void execCreated(int environmentId, Duration took, Problem refusal) {
        Latencies.timer("porthole.exec.creates", "answers to POST /api/containers/{id}/exec, by outcome")
                .tag(Metrics.ENVIRONMENT, String.valueOf(environmentId))
                .tag(Metrics.OUTCOME, Latencies.outcome(refusal))
                .register(registry).record(took);
    }

    @Override
    public Watch started(Terminal terminal) {
        String environment = String.valueOf(terminal.environmentId());
        Counter in = bytes("porthole.terminal.input", "keystrokes written to terminals' processes", environment);
        Counter out = bytes("porthole.terminal.output", "output read from terminals' processes", environment);
        return new Watch() {
            @Override
            public void input(int length) {
                in.increment(length);
            }

            @Override
            public void output(byte[] bytes, int offset, int length) {
                out.increment(length);
            }

            @Override
            public void ended(Ending why, Integer exitCode, long bytesIn, long bytesOut) {
                Counter.builder("porthole.terminals.ended").description("terminals that ended, by why")
                        .tag(Metrics.ENVIRONMENT, environment)
                        .tag("reason", why.name().toLowerCase(Locale.ROOT))
                        .register(registry).increment();
            }
        };
    }

    private Counter bytes(String name, String description, String environment) {
        return Counter.builder(name).description(description).baseUnit("bytes").tag(Metrics.ENVIRONMENT, environment)
                .register(registry);
    }
}
