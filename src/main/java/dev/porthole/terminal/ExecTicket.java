package dev.porthole.terminal;

import dev.porthole.docker.Environment;
import dev.porthole.security.SignedInUser;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An exec instance created for a user and not yet attached. {@code sessionTag} is set in the process's
 * environment so that every process the terminal starts can be found and ended later. {@code size} is the
 * newest size the client asked for, before or after the attach; it is shared with the attached session.
 * {@code engineExecId} may still be coming from the engine when the ticket is made.
 */
record ExecTicket(
        String id,
        Environment environment,
        EngineExecId engineExecId,
        SignedInUser owner,
        String httpSessionId,
        String clientAddress,
        String container,
        String shell,
        String user,
        String sessionTag,
        long createdNanos,
        AtomicReference<TerminalSize> size) {

    /** The engine's id of the exec instance; waits while the engine creates it, and throws its refusal. */
    String dockerExecId() {
        return engineExecId.await();
    }

    boolean ownedBy(SignedInUser user) {
        return owner.name().equals(user.name());
    }
}
