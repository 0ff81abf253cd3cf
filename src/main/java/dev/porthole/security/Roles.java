package dev.porthole.security;

import dev.porthole.docker.Environment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The servlet container roles Porthole reads. Any realm (a users file, LDAP, a database) grants them; the web
 * app declares them at start, one pair for each configured environment, so that servers that map roles onto
 * groups (Payara) know them, and reads them at every sign-in for the environments configured then, so that an
 * environment added at run time has working roles at once. README.md, "Users and roles", has the table.
 */
public final class Roles {
    /** Everything, on every environment, including API tokens. */
    public static final String ADMIN = "porthole-admin";
    /** Open terminals on every environment (and list its containers). */
    public static final String EXEC = "porthole-exec";
    /** List the containers of every environment. */
    public static final String VIEW = "porthole-view";
    /** Read {@code /api/metrics} and nothing else: the role of a Prometheus scraper's token. */
    public static final String METRICS = "porthole-metrics";
    private static final String EXEC_ON = EXEC + "-";
    private static final String VIEW_ON = VIEW + "-";

    private Roles() {
    }

    /** Open terminals on environment {@code id} only: {@code porthole-exec-<id>}. */
    public static String execOn(int id) {
        return EXEC_ON + id;
    }

    /** List the containers of environment {@code id} only: {@code porthole-view-<id>}. */
    public static String viewOn(int id) {
        return VIEW_ON + id;
    }

    /** Every role name that means something with these environments; sign-in asks the realm about each. */
    public static List<String> all(Collection<Environment> environments) {
        List<String> all = new ArrayList<>(List.of(ADMIN, EXEC, VIEW, METRICS));
        for (Environment environment : environments) {
            all.add(execOn(environment.id()));
            all.add(viewOn(environment.id()));
        }
        return List.copyOf(all);
    }
}
