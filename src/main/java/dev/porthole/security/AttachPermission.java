package dev.porthole.security;

import dev.porthole.wire.SocketPaths;
import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.error.PortholeException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, before the upgrade, whether a terminal socket's handshake may go on. An exec instance that waits for this
 * credential is judged by its own environment: without exec permission there, no socket, whatever the query says.
 * Any other id (unknown, expired, used, someone else's) is judged by the {@code envId} it names, as strictly as the
 * API parses it, so that the answer never tells whether such an id exists; the endpoint then closes with 4404. A
 * missing or malformed {@code envId} is left to the endpoint (4400) only for credentials that may open terminals
 * somewhere, so that nobody without any exec permission ever gets a socket.
 */
final class AttachPermission {
    /** The terminal endpoint's path as the container routes it, its exec id a group. */
    private static final Pattern ATTACH = Pattern.compile(Pattern.quote(SocketPaths.TERMINAL)
            .replace(SocketPaths.EXEC_ID, "\\E([^/]+)\\Q"));

    private final Environments environments;
    private final WaitingExecs waiting;

    AttachPermission(Environments environments, WaitingExecs waiting) {
        this.environments = environments;
        this.waiting = waiting;
    }

    /** The exec id of a terminal handshake's routed path; empty for any other path. */
    static Optional<String> execIdOf(String routedPath) {
        Matcher m = ATTACH.matcher(routedPath);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    boolean permits(HttpServletRequest request, String execId, SignedInUser user, String credential) {
        Optional<Environment> own = waiting.environmentOf(execId, credential);
        if (own.isPresent() && !user.mayExec(own.get())) {
            return false;
        }
        Environment named;
        try {
            named = environments.require(request.getParameter("envId"));
        } catch (PortholeException unknownOrMalformed) {
            return user.mayExecSomewhere(environments.all());
        }
        return user.mayExec(named);
    }
}
