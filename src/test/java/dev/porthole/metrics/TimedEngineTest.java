package dev.porthole.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.EngineExec;
import dev.porthole.docker.Environment;
import dev.porthole.docker.ExecState;
import dev.porthole.docker.ExecStream;
import dev.porthole.docker.ProcessMark;
import dev.porthole.docker.StubEngine;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * A terminal's exec calls are timed as the engine's, under the engine's call names: its create once the engine made
 * the instance, which may be after the answer, and with the refusal as the outcome, whether it came before or after.
 */
class TimedEngineTest {
    private static final Environment ENVIRONMENT = new Environment(1, "test", URI.create("unix:///nowhere.sock"),
            Duration.ofSeconds(1), Duration.ofSeconds(1));
    private static final PortholeException REFUSAL = new PortholeException(Problem.CONFLICT, "container web is not running");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CompletableFuture<Void> created = new CompletableFuture<>();
    private final Engine engine = new Engine();
    private final DockerEngine timed = new TimedEngine(engine, registry);

    private long count(String call, String outcome) {
        Timer timer = registry.find("porthole.engine.calls").tags("call", call, "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aCreateBehindTheAnswerIsTimedWhenTheEngineMadeTheInstance() {
        EngineExec exec = timed.terminalExec("web", "/bin/sh", "root", "tag", Runnable::run);
        assertEquals(0, count("exec_create", "ok"));
        created.complete(null);
        assertEquals(1, count("exec_create", "ok"));
        exec.start();
        exec.resize(24, 80);
        exec.inspect();
        assertEquals(List.of(1L, 1L, 1L), List.of(count("exec_start", "ok"), count("exec_resize", "ok"),
                count("exec_inspect", "ok")));
    }

    @Test
    void aRefusalBehindTheAnswerIsTheCreatesOutcome() {
        timed.terminalExec("web", "/bin/sh", "root", "tag", Runnable::run);
        created.completeExceptionally(REFUSAL);
        assertEquals(1, count("exec_create", "conflict"));
        assertEquals(0, count("exec_create", "ok"));
    }

    @Test
    void aRefusalBeforeTheAnswerIsTheCreatesOutcome() {
        engine.refusal = REFUSAL;
        assertThrows(PortholeException.class, () -> timed.terminalExec("web", "/bin/sh", "root", "tag", Runnable::run));
        assertEquals(1, count("exec_create", "conflict"));
    }

    @Test
    void aRefusedStartIsTimedWithItsProblem() {
        created.complete(null);
        EngineExec exec = timed.terminalExec("web", "/bin/sh", "root", "tag", Runnable::run);
        engine.startRefusal = REFUSAL;
        assertThrows(PortholeException.class, exec::start);
        assertEquals(1, count("exec_start", "conflict"));
    }

    /** An engine whose terminal exec is created when the test completes {@link #created}. */
    private final class Engine extends StubEngine {
        volatile PortholeException refusal;
        volatile PortholeException startRefusal;

        Engine() {
            super(ENVIRONMENT);
        }

        @Override
        public EngineExec terminalExec(String container, String shell, String user, String processTag, Executor behind) {
            if (refusal != null) {
                throw refusal;
            }
            return new EngineExec() {
                @Override
                public CompletionStage<Void> created() {
                    return created;
                }

                @Override
                public ExecStream start() {
                    if (startRefusal != null) {
                        throw startRefusal;
                    }
                    return null;
                }

                @Override
                public void resize(int rows, int cols) {
                }

                @Override
                public ExecState inspect() {
                    return new ExecState(false, 0);
                }

                @Override
                public ProcessMark processMark() {
                    return ProcessMark.tagged(processTag);
                }
            };
        }
    }
}
