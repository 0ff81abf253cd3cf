package dev.porthole.security;

import dev.porthole.docker.Environment;
import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The person behind a session or an API token: a name and the Porthole roles the realm granted at sign-in (or
 * the token recorded when it was issued). Every permission decision is made here, from those roles.
 */
public record SignedInUser(String name, Set<String> roles) implements Serializable {

    public SignedInUser {
        roles = Collections.unmodifiableSet(new TreeSet<>(roles)); // sorted, so that answers list them stably
    }

    /** May open terminals in {@code environment}: admin, {@code porthole-exec}, or {@code porthole-exec-<id>}. */
    public boolean mayExec(Environment environment) {
        return roles.contains(Roles.ADMIN) || roles.contains(Roles.EXEC) || roles.contains(Roles.execOn(environment.id()));
    }

    /** May open terminals in at least one of {@code environments}. */
    public boolean mayExecSomewhere(Collection<Environment> environments) {
        return environments.stream().anyMatch(this::mayExec);
    }

    /** May list the containers of {@code environment}: whoever may exec there, {@code porthole-view}, or {@code porthole-view-<id>}. */
    public boolean mayView(Environment environment) {
        return mayExec(environment) || roles.contains(Roles.VIEW) || roles.contains(Roles.viewOn(environment.id()));
    }

    /** May read the metrics: an admin, or {@code porthole-metrics}. */
    public boolean mayReadMetrics() {
        return roles.contains(Roles.ADMIN) || roles.contains(Roles.METRICS);
    }

    /** May issue and revoke API tokens. */
    public boolean mayAdminister() {
        return roles.contains(Roles.ADMIN);
    }
}
