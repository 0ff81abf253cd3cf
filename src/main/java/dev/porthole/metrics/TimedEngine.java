package dev.porthole.metrics;

import dev.porthole.docker.AgentStatus;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.EngineExec;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
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

    /** Timed until the engine made the instance, which may be after the answer. */
    @Override
    public EngineExec terminalExec(String container, String shell, String user, String processTag, Executor behind) {
        long start = System.nanoTime();
        EngineExec exec;
        try {
            exec = engine.terminalExec(container, shell, user, processTag, behind);
        } catch (RuntimeException | Error e) {
            record("exec_create", start, refusal(e));
            throw e;
        }
        exec.created().whenComplete((created, failure) -> record("exec_create", start, refusal(failure)));
        return new TimedExec(exec);
    }

    @Override
    public EngineExec adoptTerminalExec(String container, String shell, String user,
            CompletionStage<String> engineExecId, String processTag) {
        return new TimedExec(engine.adoptTerminalExec(container, shell, user, engineExecId, processTag));
    }

    @Override
    public boolean endWhenBack(String container, ProcessMark mark) {
        return engine.endWhenBack(container, mark);
    }

    @Override
    public boolean isRunning(String container) {
        return timed("container_inspect", () -> engine.isRunning(container));
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
    public Optional<AgentStatus> agent() {
        return engine.agent();
    }

    @Override
    public void close() {
        engine.close();
    }

    private <T> T timed(String call, Supplier<T> work) {
        long start = System.nanoTime();
        T result;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) {
            record(call, start, refusal(e));
            throw e;
        }
        record(call, start, null);
        return result;
    }

    /** The problem {@code failure} stands for: null for none, internal for one that is not Porthole's own. */
    private static Problem refusal(Throwable failure) {
        if (failure instanceof CompletionException wrapped && wrapped.getCause() != null) {
            failure = wrapped.getCause();
        }
        if (failure == null) {
            return null;
        }
        return failure instanceof PortholeException e ? e.problem() : Problem.INTERNAL;
    }

    private void record(String call, long startNanos, Problem refusal) {
        Latencies.timer("porthole.engine.calls", "calls to the Docker engines, by call and outcome")
                .tag(Metrics.ENVIRONMENT, environment).tag("call", call).tag(Metrics.OUTCOME, Latencies.outcome(refusal))
                .register(registry).record(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** A terminal's exec, its calls to the engine timed as the engine's. */
    private final class TimedExec implements EngineExec {
        private final EngineExec exec;

        TimedExec(EngineExec exec) {
            this.exec = exec;
        }

        @Override
        public CompletionStage<Void> created() {
            return exec.created();
        }

        @Override
        public CompletionStage<String> engineExecId() {
            return exec.engineExecId();
        }

        @Override
        public ExecStream start() {
            return timed("exec_start", exec::start);
        }

        @Override
        public void resize(int rows, int cols) {
            timed("exec_resize", () -> {
                exec.resize(rows, cols);
                return null;
            });
        }

        @Override
        public ExecState inspect() {
            return timed("exec_inspect", exec::inspect);
        }

        @Override
        public ProcessMark processMark() {
            return exec.processMark();
        }
    }
}
