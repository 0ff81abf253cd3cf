package dev.porthole.terminal;

import dev.porthole.docker.Environment;
import dev.porthole.security.SignedInUser;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An exec instance created for a user and not yet attached. It belongs to {@code credential}, the session or API
 * token that created it ({@link dev.porthole.security.SessionUsers}): only that credential may attach or resize it,
 * and its end ends the terminal. {@code processTag} is set in the process's environment so that every process the
 * terminal starts can be found and ended later. {@code size} is the newest size the client asked for, before or
 * after the attach; it is shared with the attached session. {@code engineExecId} may still be coming from the engine
 * when the ticket is made.
 */
record TerminalSpec(
        String id,
        Environment environment,
        EngineExecId engineExecId,
        SignedInUser owner,
        String credential,
        String clientAddress,
        String container,
        String shell,
        String user,
        String processTag,
        long createdNanos,
        AtomicReference<TerminalSize> size) {

    /** The engine's id of the exec instance; waits while the engine creates it, and throws its refusal. */
    String awaitEngineExecId() {
        return engineExecId.await();
    }

    boolean ownedBy(String credential) {
        return this.credential.equals(credential);
    }
}
