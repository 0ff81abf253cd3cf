package dev.porthole.security;

import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.error.PortholeException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/**
 * Decides, before the upgrade, whether a terminal socket's handshake may go on: the user needs the exec
 * permission on the environment its {@code envId} names. A missing or unknown {@code envId} is left to the
 * endpoint (it closes with 4400, like a mismatch), but only for users who may open terminals somewhere, so that
 * nobody without any exec permission ever gets a socket.
 */
final class AttachPermission {
    /** The terminal endpoint's path, {@code /api/containers/exec/{execId}/attach}. */
    private static final Pattern ATTACH = Pattern.compile("/api/containers/exec/[^/]+/attach");

    private final Environments environments;

    AttachPermission(Environments environments) {
        this.environments = environments;
    }

    static boolean isAttach(String path) {
        return ATTACH.matcher(path).matches();
    }

    boolean permits(HttpServletRequest request, SignedInUser user) {
        Environment environment;
        try {
            environment = environments.require(request.getParameter("envId"));
        } catch (PortholeException unknownOrMalformed) {
            return user.mayExecSomewhere(environments.all());
        }
        return user.mayExec(environment);
    }
}
