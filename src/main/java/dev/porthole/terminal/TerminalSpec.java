package dev.porthole.terminal;

import dev.porthole.docker.EngineExec;
import dev.porthole.docker.Environment;
import dev.porthole.docker.ProcessMark;
import dev.porthole.security.SignedInUser;

/**
 * What a terminal was created for, fixed from its exec create on. It belongs to {@code credential}, the session or
 * API token that created it ({@link dev.porthole.security.SessionUsers}): only that credential may attach or resize
 * it, and its end ends the terminal. {@code processTag} is set in the process's environment so that every process
 * the terminal starts can be found and ended later. {@code exec} is its exec instance on the engine, whose create
 * may still be under way when the terminal is made. {@code shared}: the cluster knows it (its entry in the
 * directory, its place in the cluster's counts, its process in the ledger); never on one node, and never for the
 * server's own unlisted environments (the warm-up's), whose engines no other node can reach.
 */
record TerminalSpec(
        String id,
        Environment environment,
        EngineExec exec,
        SignedInUser owner,
        String credential,
        String clientAddress,
        String container,
        String shell,
        String user,
        String processTag,
        long createdNanos,
        boolean shared) implements TerminalProcesses {

    boolean ownedBy(String credential) {
        return this.credential.equals(credential);
    }

    @Override
    public ProcessMark processMark() {
        // An engine that cannot tag the environment (an edge agent's) marks the processes its own way.
        return exec.processMark();
    }
}
