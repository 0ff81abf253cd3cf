package dev.porthole.security;

import java.util.List;

/**
 * The servlet container roles Porthole reads. Any realm (a users file, LDAP, a database) grants them; the
 * web app declares them in {@code web.xml}.
 */
public final class Roles {
    /** Everything, on every environment. */
    public static final String ADMIN = "porthole-admin";
    /** Open terminals on every environment. */
    public static final String EXEC = "porthole-exec";

    public static final List<String> ALL = List.of(ADMIN, EXEC);

    private Roles() {
    }
}
