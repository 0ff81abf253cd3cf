package dev.porthole.docker;

import dev.porthole.error.PortholeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The environments a signed-in person may see (by the predicate the caller's roles give), each with whether
 * its engine answers right now. The engines are pinged in parallel,
 * each bounded by {@code docker.ping-timeout}, so one dead engine costs the page at most that long.
 */
public final class EnvironmentService {
    private final Environments environments;
    private final Executor pings;

    public EnvironmentService(Environments environments, Executor pings) {
        this.environments = environments;
        this.pings = pings;
    }

    public List<EnvironmentSummary> list(Predicate<Environment> visible) {
        List<CompletableFuture<EnvironmentSummary>> answers = environments.all().stream()
                .filter(visible)
                .map(environment -> CompletableFuture.supplyAsync(() -> summary(environment), pings))
                .toList();
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private EnvironmentSummary summary(Environment environment) {
        EngineStatus status = status(environment);
        AgentStatus agent = environment.isEdge() ? agent(environment) : null;
        return new EnvironmentSummary(environment.id(), environment.name(), environment.connectionInfo(), status, agent);
    }

    private AgentStatus agent(Environment environment) {
        try {
            return environments.engine(environment).agent().orElse(AgentStatus.NEVER_SEEN);
        } catch (PortholeException e) {
            return AgentStatus.NEVER_SEEN; // changed while we looked: the next list shows the new one
        }
    }

    private EngineStatus status(Environment environment) {
        try {
            environments.engine(environment).ping();
            return EngineStatus.REACHABLE;
        } catch (PortholeException e) {
            return EngineStatus.unreachable(e.getMessage());
        }
    }
}
