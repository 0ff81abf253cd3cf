package dev.porthole.cluster;

import com.hazelcast.core.MemberLeftException;
import dev.porthole.error.Causes;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The answer of a task the grid's executor runs on another member, with the failures it may bring as Problems. */
final class MemberCalls {
    private MemberCalls() {
    }

    /**
     * Waits up to {@code patience} for {@code task}, sent to {@code node} to {@code what} (as "node B could not
     * {@code what}"): a Porthole failure there is the same failure here; {@code left} is what the node leaving first
     * means to the caller.
     */
    static <T> T await(Future<T> task, String node, String what, Duration patience, PortholeException left) {
        try {
            return task.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PortholeException failed) {
                throw new PortholeException(failed.problem(), failed.getMessage(), failed);
            }
            if (e instanceof MemberLeftException || e.getCause() instanceof MemberLeftException) {
                throw left;
            }
            throw new PortholeException(Problem.INTERNAL, "node " + node + " could not " + what + ": "
                    + Causes.of(e.getCause()), e);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new PortholeException(Problem.ENGINE_UNREACHABLE, "node " + node + " did not " + what + " within "
                    + patience.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortholeException(Problem.INTERNAL, "interrupted");
        }
    }
}
