package dev.porthole.terminal;

import dev.porthole.docker.Environment;
import dev.porthole.security.SignedInUser;

/**
 * What a terminal was created for, fixed from its exec create on. It belongs to {@code credential}, the session or
 * API token that created it ({@link dev.porthole.security.SessionUsers}): only that credential may attach or resize
 * it, and its end ends the terminal. {@code processTag} is set in the process's environment so that every process
 * the terminal starts can be found and ended later. {@code engineExecId} may still be coming from the engine when
 * the terminal is made.
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
        long createdNanos) {

    /** The engine's id of the exec instance; waits while the engine creates it, and throws its refusal. */
    String awaitEngineExecId() {
        return engineExecId.await();
    }

    boolean ownedBy(String credential) {
        return this.credential.equals(credential);
    }
}
