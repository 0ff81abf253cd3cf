package dev.porthole.metrics;

import dev.porthole.docker.AgentStatus;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.Environment;
import dev.porthole.docker.ExecState;
import dev.porthole.docker.ExecStream;
import dev.porthole.docker.ProcessMark;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An engine whose calls are timed, per environment, call and outcome: {@code ok}, or the problem it failed with
 * ({@code engine_unreachable} and {@code engine_failed} are the engine's failures; {@code not_found} and
 * {@code conflict} its refusals). Everything else is the engine's own: what it knows without asking is not timed.
 */
final class TimedEngine implements DockerEngine {
    private final DockerEngine engine;
    private final MeterRegistry registry;
    private final String environment;

    TimedEngine(DockerEngine engine, MeterRegistry registry) {
        this.engine = engine;
        this.registry = registry;
        this.environment = String.valueOf(engine.environment().id());
    }

    @Override
    public Environment environment() {
        return engine.environment();
    }

    @Override
    public void ping() {
        timed("ping", () -> {
            engine.ping();
            return null;
        });
    }

    @Override
    public List<dev.porthole.docker.ContainerSummary> containers() {
        return timed("containers", engine::containers);
    }

    @Override
    public String createExec(String container, List<String> cmd, String user, List<String> env, boolean tty) {
        return timed("exec_create", () -> engine.createExec(container, cmd, user, env, tty));
    }

    @Override
    public boolean knownToRun(String container) {
        return engine.knownToRun(container);
    }

    @Override
    public ExecStream startTty(String execId) {
        return timed("exec_start", () -> engine.startTty(execId));
    }

    @Override
    public void resize(String execId, int rows, int cols) {
        timed("exec_resize", () -> {
            engine.resize(execId, rows, cols);
            return null;
        });
    }

    @Override
    public boolean isRunning(String container) {
        return timed("container_inspect", () -> engine.isRunning(container));
    }

    @Override
    public ExecState inspect(String execId) {
        return timed("exec_inspect", () -> engine.inspect(execId));
    }

    @Override
    public Integer run(String container, List<String> cmd, String user, Duration timeout) {
        return timed("run", () -> engine.run(container, cmd, user, timeout));
    }

    @Override
    public Captured capture(String container, List<String> cmd, String user, Duration timeout, int maxBytes) {
        return timed("capture", () -> engine.capture(container, cmd, user, timeout, maxBytes));
    }

    @Override
    public ProcessMark processMark(String execId, String processTag) {
        return engine.processMark(execId, processTag);
    }

    @Override
    public Optional<AgentStatus> agent() {
        return engine.agent();
    }

    @Override
    public void close() {
        engine.close();
    }

    private <T> T timed(String call, Supplier<T> work) {
        long start = System.nanoTime();
        Problem refusal = Problem.INTERNAL;
        try {
            T result = work.get();
            refusal = null;
            return result;
        } catch (PortholeException e) {
            refusal = e.problem();
            throw e;
        } finally {
            Latencies.timer("porthole.engine.calls", "calls to the Docker engines, by call and outcome")
                    .tag(Metrics.ENVIRONMENT, environment).tag("call", call).tag(Metrics.OUTCOME, Latencies.outcome(refusal))
                    .register(registry).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
