package dev.porthole.terminal;

import dev.porthole.docker.Environment;
import dev.porthole.security.SignedInUser;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An exec instance created for a user and not yet attached. {@code sessionTag} is set in the process's
 * environment so that every process the terminal starts can be found and ended later. {@code size} is the
 * newest size the client asked for, before or after the attach; it is shared with the attached session.
 */
record ExecTicket(
        String id,
        Environment environment,
        String dockerExecId,
        SignedInUser owner,
        String httpSessionId,
        String clientAddress,
        String container,
        String shell,
        String user,
        String sessionTag,
        long createdNanos,
        AtomicReference<TerminalSize> size) {

    boolean ownedBy(SignedInUser user) {
        return owner.name().equals(user.name());
    }
}
