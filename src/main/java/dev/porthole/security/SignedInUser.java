package dev.porthole.security;

import dev.porthole.docker.Environment;
import java.io.Serializable;
import java.util.Set;

/** The person behind a session: a name and the Porthole roles the realm granted at sign-in. */
public record SignedInUser(String name, Set<String> roles) implements Serializable {

    public boolean mayExec(Environment environment) {
        return roles.contains(Roles.ADMIN) || roles.contains(Roles.EXEC);
    }
}
