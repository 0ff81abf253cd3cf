package dev.porthole.docker;

import java.util.Comparator;
import java.util.List;

/** The containers of one environment, for any signed-in person; sorted by name so that a list stays put. */
public final class ContainerService {
    private static final Comparator<ContainerSummary> BY_NAME = Comparator.comparing(
            (ContainerSummary c) -> c.names().isEmpty() ? c.id() : c.names().get(0));

    private final Environments environments;

    public ContainerService(Environments environments) {
        this.environments = environments;
    }

    /** 400 for a missing or malformed {@code envId}, 404 for an unknown one, 502 when its engine does not answer. */
    public List<ContainerSummary> list(String envId) {
        Environment environment = environments.require(envId);
        return environments.engine(environment).containers().stream().sorted(BY_NAME).toList();
    }
}
