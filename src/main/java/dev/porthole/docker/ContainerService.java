package dev.porthole.docker;

import dev.porthole.error.PortholeException;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** The containers of one environment, for whom its roles let see it; sorted by name so that a list stays put. */
public final class ContainerService {
    private static final Comparator<ContainerSummary> BY_NAME = Comparator.comparing(
            (ContainerSummary c) -> c.names().isEmpty() ? c.id() : c.names().get(0));

    private final Environments environments;

    public ContainerService(Environments environments) {
        this.environments = environments;
    }

    /**
     * 400 for a missing or malformed {@code envId}, 404 for an unknown one, 403 for one that is not
     * {@code visible}, 502 when its engine does not answer.
     */
    public List<ContainerSummary> list(String envId, Predicate<Environment> visible) {
        Environment environment = environments.require(envId);
        if (!visible.test(environment)) {
            throw PortholeException.forbidden("you may not see the containers of " + environment);
        }
        return environments.engine(environment).containers().stream().sorted(BY_NAME).toList();
    }
}
