package dev.porthole.docker;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A terminal's exec instance on an engine the server reaches itself. Its create may still be under way when the
 * terminal is made, so that the engine's create overlaps the client's WebSocket handshake; whatever needs the
 * engine's id (the start at attach, and after it resizes, inspections, the reaper) waits for it, at most as long as
 * the create itself may take.
 */
final class DirectExec implements EngineExec {
    /** The variable that tags every process of one terminal, so that they can all be found and ended with it. */
    static final String TAG_VARIABLE = "PORTHOLE_SESSION";

    /** The calls on one exec instance, by the engine's id of it. */
    interface Calls {
        String createTty(String container, List<String> cmd, String user, List<String> env);

        ExecStream start(String execId);

        void resize(String execId, int rows, int cols);

        ExecState inspect(String execId);
    }

    private final Calls calls;
    private final CompletableFuture<String> id;
    private final Environment environment;
    private final Duration patience;
    private final String processTag;

    private DirectExec(Calls calls, CompletableFuture<String> id, Environment environment, String processTag) {
        this.calls = calls;
        this.id = id;
        this.environment = environment;
        // In case the engine's create is stuck beyond its own timeouts.
        this.patience = environment.connectTimeout().plus(environment.readTimeout());
        this.processTag = processTag;
    }

    /**
     * Creates the exec instance of {@code shell} for a terminal: on {@code behind}, answering at once, or, when
     * {@code behind} is null, before answering, throwing the engine's refusal.
     */
    static DirectExec create(Calls calls, Environment environment, String container, String shell, String user,
            String processTag, Executor behind) {
        Supplier<String> create = () -> calls.createTty(container, List.of(shell), user,
                List.of("TERM=xterm-256color", TAG_VARIABLE + "=" + processTag));
        CompletableFuture<String> id;
        try {
            id = behind == null ? CompletableFuture.completedFuture(create.get())
                    : CompletableFuture.supplyAsync(create, behind);
        } catch (RejectedExecutionException shuttingDown) {
            id = CompletableFuture.completedFuture(create.get());
        }
        return new DirectExec(calls, id, environment, processTag);
    }

    /** The instance {@code id} another node created (or is creating) for a terminal with {@link #create}. */
    static DirectExec adopt(Calls calls, Environment environment, CompletableFuture<String> id, String processTag) {
        return new DirectExec(calls, id, environment, processTag);
    }

    @Override
    public CompletionStage<Void> created() {
        return id.thenApply(ignored -> null);
    }

    @Override
    public CompletionStage<String> engineExecId() {
        return id;
    }

    @Override
    public ExecStream start() {
        return calls.start(awaitEngineExecId());
    }

    @Override
    public void resize(int rows, int cols) {
        calls.resize(awaitEngineExecId(), rows, cols);
    }

    @Override
    public ExecState inspect() {
        return calls.inspect(awaitEngineExecId());
    }

    /** Its tag; throws the create's refusal, since an instance never made started no process. */
    @Override
    public ProcessMark processMark() {
        awaitEngineExecId();
        return ProcessMark.tagged(processTag);
    }

    /** The engine's id; waits while it is being created. Throws the engine's refusal, or 502 when it never came. */
    private String awaitEngineExecId() {
        try {
            return id.get(patience.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PortholeException refused) {
                // A new exception: the create's own was thrown on another thread, and its trace says nothing here.
                throw new PortholeException(refused.problem(), refused.getMessage(), refused);
            }
            throw new PortholeException(Problem.INTERNAL, "the exec instance could not be created: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new PortholeException(Problem.ENGINE_UNREACHABLE, environment + " is unreachable: no exec instance "
                    + "within " + patience.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortholeException(Problem.INTERNAL, "interrupted");
        }
    }
}
