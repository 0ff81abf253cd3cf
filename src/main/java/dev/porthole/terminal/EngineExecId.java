package dev.porthole.terminal;

import dev.porthole.docker.Environment;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine's id of a terminal's exec instance. Exec create may answer before the engine made the instance, so
 * that the engine's create overlaps the client's WebSocket handshake; whatever needs the id (the start at attach,
 * and after it resizes, inspections, the reaper) waits for it, at most {@code patience}.
 */
final class EngineExecId {
    private final CompletableFuture<String> id;
    private final Environment environment;
    private final Duration patience;

    private EngineExecId(CompletableFuture<String> id, Environment environment, Duration patience) {
        this.id = id;
        this.environment = environment;
        this.patience = patience;
    }

    /** An id the engine already gave. */
    static EngineExecId known(String id) {
        return new EngineExecId(CompletableFuture.completedFuture(id), null, Duration.ZERO);
    }

    /**
     * An id the engine is being asked for; {@code id} fails with the {@link PortholeException} of the engine's
     * refusal. {@code patience} bounds the wait, in case the engine call is stuck beyond its own timeouts.
     */
    static EngineExecId coming(CompletableFuture<String> id, Environment environment, Duration patience) {
        return new EngineExecId(id, environment, patience);
    }

    /** The id; waits while it is being created. Throws the engine's refusal, or 502 when it never came. */
    String await() {
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
