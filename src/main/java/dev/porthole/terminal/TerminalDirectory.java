package dev.porthole.terminal;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.security.SignedInUser;
import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the nodes of a cluster find each terminal, whichever node created it: an {@link Entry} per exec id, from the
 * exec create until the terminal ended. A terminal waiting for its client is claimed by the node its attach reached
 * (exactly one claim wins), which then runs it; until then its size is recorded in the entry, and after it every
 * other node routes its resizes to that node. A single node has no directory ({@link #NONE}): its table is all.
 */
public interface TerminalDirectory {
    /** No other node: nothing is shared, and {@link Terminals} keeps to its own table. */
    TerminalDirectory NONE = new TerminalDirectory() {
        @Override
        public boolean shared() {
            return false;
        }

        @Override
        public String node() {
            return "";
        }
    };

    /** Whether other nodes share this directory; when not, no other method is called. */
    boolean shared();

    /** The name of this node, as the entries name it. */
    String node();

    /** Serves the calls other nodes route to this node's terminals; called once, before any other. */
    default void serve(Here here) {
    }

    /** Publishes a terminal created on this node, waiting for its client until {@code attachTimeout}. */
    default void waiting(Entry entry, Duration attachTimeout) {
    }

    /** The engine made the exec instance of {@code execId}, as {@code engineExecId}. */
    default void engineExecCreated(String execId, String engineExecId) {
    }

    /** The engine refused the exec instance of {@code execId}: whoever claims it fails as its creator would. */
    default void engineExecRefused(String execId, Refusal refusal) {
    }

    /** The entry of {@code execId} if {@code credential} owns it, claimed or not; one read. */
    default Optional<Entry> find(String execId, String credential) {
        return Optional.empty();
    }

    /**
     * Claims the waiting terminal {@code execId} on environment {@code envId} for this node, atomically: answers its
     * entry when this node won it, empty when it is unknown, foreign, expired, claimed already, on another
     * environment.
     */
    default Optional<Entry> claim(String execId, String credential, String envId) {
        return Optional.empty();
    }

    /**
     * Records {@code size} in the entry of a waiting terminal of {@code credential} on environment {@code envId};
     * answers the entry as it is after that, which names the node to route the resize to if it is not waiting, or
     * the entry unchanged if it is on another environment; empty when unknown or foreign.
     */
    default Optional<Entry> recordSize(String execId, String credential, String envId, TerminalSize size) {
        return Optional.empty();
    }

    /** Resizes the terminal {@code execId} on {@code node}, which runs it; answers whether that node has it. */
    default boolean resizeOn(String node, String execId, String credential, TerminalSize size) {
        return false;
    }

    /**
     * The engine's id of the instance of {@code execId}: at once if its creator recorded it, else when it does;
     * fails with its refusal. Cancelling the future stops waiting.
     */
    default CompletableFuture<String> engineExecId(Entry entry) {
        return CompletableFuture.failedFuture(new IllegalStateException("no directory"));
    }

    /** The terminal ended on this node: its entry goes, unless another node claimed it meanwhile. */
    default void ended(String execId) {
    }

    /**
     * Counts one more waiting terminal of {@code owner} in the cluster's counts if that stays within
     * {@code limits}, checked and counted in one atomic step; answers the limit that refused it, else empty.
     */
    default Optional<Limit> reserve(String owner, TerminalOptions.Limits limits) {
        return Optional.empty();
    }

    /** A terminal of {@code owner} counted in the cluster's counts changed as {@code change} says. */
    default void counted(String owner, Change change) {
    }

    /** The limits of {@link #reserve}, as a create's refusal names them. */
    enum Limit {
        PENDING_PER_USER, SESSIONS_PER_USER, SESSIONS_TOTAL
    }

    /** What happened to a counted terminal. */
    enum Change {
        /** A client attached it: it no longer waits, it is open. */
        ATTACHED,
        /** It ended while waiting: expired, its credential ended, or its create failed. */
        WAITING_ENDED,
        /** It ended after its attach. */
        OPEN_ENDED
    }

    /** What a node does for the others: calls routed to it by exec id. */
    interface Here {
        /** Resizes a terminal this node runs; false when it has none of that id for {@code credential}. */
        boolean resize(String execId, String credential, TerminalSize size);

        /** Another node claimed the terminal this node created: forget the waiting copy; the engine keeps the exec. */
        void claimedElsewhere(String execId);
    }

    /** Why the engine refused an exec instance, as its creator was told. */
    record Refusal(Problem problem, String message) implements Serializable {
        public PortholeException exception() {
            return new PortholeException(problem, message);
        }
    }

    /**
     * A terminal as every node sees it: what it was created for, the engine's id of its exec instance once known
     * (or why the engine refused it), the size asked for before attach, the node that created it and the node that
     * runs it once claimed (null while it waits): any node may run it, an agent's too, whose bytes cross to the node
     * its agent is connected to.
     * {@code createdOnMember} and {@code runsOnMember}: the directory's own id of the start of those nodes (null until
     * it sets them), new at every start, so that the entries of a node that died are told apart from those of its
     * restart under the same name.
     */
    record Entry(String execId, int environmentId, String container, String shell, String user, SignedInUser owner,
            String credential, String clientAddress, String processTag, String createdOn,
            String engineExecId, Refusal refusal, TerminalSize size, String runsOn, String createdOnMember,
            String runsOnMember) implements Serializable {

        public boolean ownedBy(String credential) {
            return this.credential.equals(credential);
        }

        /** Whether {@code envId} is its environment as the API writes it: digits only, nothing around them. */
        public boolean on(String envId) {
            return String.valueOf(environmentId).equals(envId);
        }

        public boolean waiting() {
            return runsOn == null;
        }

        public Entry withEngineExecId(String id) {
            return new Entry(execId, environmentId, container, shell, user, owner, credential, clientAddress,
                    processTag, createdOn, id, refusal, size, runsOn, createdOnMember, runsOnMember);
        }

        public Entry withRefusal(Refusal why) {
            return new Entry(execId, environmentId, container, shell, user, owner, credential, clientAddress,
                    processTag, createdOn, engineExecId, why, size, runsOn, createdOnMember, runsOnMember);
        }

        public Entry withSize(TerminalSize asked) {
            return new Entry(execId, environmentId, container, shell, user, owner, credential, clientAddress,
                    processTag, createdOn, engineExecId, refusal, asked, runsOn, createdOnMember, runsOnMember);
        }

        public Entry withCreatedOnMember(String member) {
            return new Entry(execId, environmentId, container, shell, user, owner, credential, clientAddress,
                    processTag, createdOn, engineExecId, refusal, size, runsOn, member, runsOnMember);
        }

        public Entry claimedBy(String node, String member) {
            return new Entry(execId, environmentId, container, shell, user, owner, credential, clientAddress,
                    processTag, createdOn, engineExecId, refusal, size, node, createdOnMember, member);
        }
    }
}
