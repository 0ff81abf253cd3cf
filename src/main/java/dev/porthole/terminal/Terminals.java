package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.EngineExec;
import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.error.Causes;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.security.SignedInUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every terminal by its exec id, whatever its state, from its exec create until it ended: the one table where a
 * terminal is attached, resized and ended, each with one lookup and one change of the terminal's state. A terminal
 * belongs to the credential (session or API token) that created it, never to a user name. The counts behind the
 * limits (waiting and open terminals per user) follow the terminals' changes of state.
 */
public final class Terminals {
    /** One message for unknown, expired, used and foreign ids alike, so none of them reveals that an id exists. */
    static final String UNKNOWN = "unknown, expired or already used exec instance";
    private static final String ENVIRONMENT_MISMATCH = "envId does not match the environment of this exec instance";

    private final ConcurrentMap<String, Terminal> table = new ConcurrentHashMap<>();
    private final LimitCounts counts;
    private final Duration attachTimeout;
    private final EndedCredentials endedCredentials;
    private final Environments environments;
    private final Closing closing;
    private final TerminalParts parts;
    private final TerminalDirectory directory;

    Terminals(Duration attachTimeout, ScheduledExecutorService timer, EndedCredentials endedCredentials,
            Environments environments, Closing closing, TerminalParts parts, TerminalDirectory directory) {
        this.attachTimeout = attachTimeout;
        this.directory = directory;
        this.counts = new LimitCounts(directory);
        this.endedCredentials = endedCredentials;
        this.environments = environments;
        this.closing = closing;
        this.parts = parts;
        long period = Math.max(100, Math.min(1000, attachTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::expire, period, period, TimeUnit.MILLISECONDS);
        if (directory.shared()) {
            directory.serve(new TerminalDirectory.Here() {
                @Override
                public boolean resize(String execId, String credential, TerminalSize size) {
                    return resizeHere(execId, credential, size);
                }

                @Override
                public void claimedElsewhere(String execId) {
                    Terminals.this.claimedElsewhere(execId);
                }
            });
        }
    }

    /** A new terminal for {@code spec}, waiting for its client. */
    void add(TerminalSpec spec) {
        Terminal terminal = new Terminal(spec, parts, this::moved);
        // Counted before it is findable, so that an end racing with this add never uncounts it first.
        counts.added(spec.owner().name());
        table.put(spec.id(), terminal);
        if (spec.shared()) {
            share(spec);
        }
    }

    /**
     * Whether the cluster is to share a terminal on {@code environment}: always in a cluster, except on the server's
     * own unlisted environments (its warm-up's), whose terminals stay on this node as on a single one.
     */
    boolean shares(Environment environment) {
        return directory.shared() && !environments.isUnlisted(environment.id());
    }

    /** Publishes a terminal created here, and then its engine's id of the exec instance, or the engine's refusal. */
    private void share(TerminalSpec spec) {
        Environment environment = spec.environment();
        directory.waiting(new TerminalDirectory.Entry(spec.id(), environment.id(), spec.container(), spec.shell(),
                spec.user(), spec.owner(), spec.credential(), spec.clientAddress(), spec.processTag(), directory.node(),
                null, null, null, null, null, null), attachTimeout);
        spec.exec().engineExecId().whenComplete((engineExecId, refused) -> {
            if (refused != null) {
                Throwable cause = refused instanceof CompletionException ? refused.getCause() : refused;
                directory.engineExecRefused(spec.id(), cause instanceof PortholeException e
                        ? new TerminalDirectory.Refusal(e.problem(), e.getMessage())
                        : new TerminalDirectory.Refusal(Problem.INTERNAL, "the exec instance could not be created: "
                                + Causes.of(cause)));
            } else if (engineExecId != null) {
                directory.engineExecCreated(spec.id(), engineExecId);
            }
        });
    }

    /**
     * Attaches {@code client} to the terminal {@code execId} for {@code credential} and starts it. Unknown, expired,
     * used and foreign ids all fail alike, so none of them reveals that an id exists. The security filter authorised
     * the handshake; this checks again, on the terminal itself, that its user may exec there. In a cluster the
     * terminal may have been created on another node: this node claims it in the directory, and runs it. A
     * {@code size} given with the attach is newer than any resize before it, and the shell starts with it.
     */
    public Terminal attach(String execId, String envId, Optional<TerminalSize> size, SignedInUser user,
            String credential, TerminalSink client) {
        if (endedCredentials.hasEnded(credential)) {
            throw new PortholeException(Problem.UNAUTHENTICATED, Close.SIGNED_OUT);
        }
        Optional<Terminal> own = find(execId, credential).filter(t -> t.state() == Terminal.State.WAITING);
        // Checked before it is claimed, here or in the directory: a claim cannot be taken back.
        Terminal terminal = own.map(t -> t.spec().shared()).orElse(directory.shared())
                ? claimShared(own, execId, envId, user, credential)
                : own.map(t -> attachable(t, envId, user)).orElseThrow(() -> PortholeException.notFound(UNKNOWN));
        DockerEngine engine = environments.engine(terminal.spec().environment());
        if (!terminal.claim(credential, client, engine, System.nanoTime(), attachTimeout)) {
            throw PortholeException.notFound(UNKNOWN);
        }
        // After the claim, or an attach that lost it would have sized the winner's shell; before the start reads it.
        size.ifPresent(terminal::resize);
        try {
            parts.terminalThreads().execute(terminal::start);
        } catch (RejectedExecutionException e) {
            terminal.end(Close.shutdown());
        }
        // Looked at after the claim: a credential that ended meanwhile either finds the terminal attached in
        // endAllOf or is found ended here.
        if (endedCredentials.hasEnded(credential)) {
            terminal.end(Close.signedOut(Ending.SIGNED_OUT));
        }
        return terminal;
    }

    /**
     * Claims the waiting terminal {@code execId} in the directory for this node, once its checks passed, and
     * answers it: this node's own waiting copy when it created it ({@code own}), else one made from the directory's
     * entry.
     */
    private Terminal claimShared(Optional<Terminal> own, String execId, String envId, SignedInUser user,
            String credential) {
        if (own.isPresent()) {
            attachable(own.get(), envId, user);
            TerminalDirectory.Entry claimed = directory.claim(execId, credential, envId)
                    .orElseThrow(() -> PortholeException.notFound(UNKNOWN));
            if (claimed.size() != null) {
                own.get().resize(claimed.size());
            }
            return own.get();
        }
        // When the user may open terminals on the environment the attach names, the claim is the one step in the grid:
        // it checks the rest itself. Otherwise, or when it fails, the entry is read to say why. A terminal through an
        // agent connected to another node runs here too: its bytes cross to that node (see the edge's RelayedStream).
        Optional<Environment> named = environmentNamed(envId).filter(user::mayExec);
        Optional<TerminalDirectory.Entry> won = named.isPresent() ? directory.claim(execId, credential, envId)
                : Optional.empty();
        if (won.isPresent()) {
            return adopt(won.get(), named.get());
        }
        TerminalDirectory.Entry entry = directory.find(execId, credential).filter(TerminalDirectory.Entry::waiting)
                .orElseThrow(() -> PortholeException.notFound(UNKNOWN));
        Environment environment = environments.find(entry.environmentId())
                .orElseThrow(() -> PortholeException.notFound(UNKNOWN));
        requireExec(user, environment);
        if (!entry.on(envId)) {
            throw PortholeException.badRequest(ENVIRONMENT_MISMATCH);
        }
        TerminalDirectory.Entry claimed = directory.claim(execId, credential, envId)
                .orElseThrow(() -> PortholeException.notFound(UNKNOWN));
        return adopt(claimed, environment);
    }

    /** The environment {@code envId} names as the API writes it (digits only, nothing around them), if known. */
    private Optional<Environment> environmentNamed(String envId) {
        if (envId == null || !envId.matches("[0-9]{1,9}")) {
            return Optional.empty();
        }
        return environments.find(Integer.parseInt(envId)).filter(e -> String.valueOf(e.id()).equals(envId));
    }

    /**
     * A terminal this node runs for an exec instance another node created, waiting in the table to be attached. It
     * is in the table before the engine's id is looked for, so that a resize routed here finds it.
     */
    private Terminal adopt(TerminalDirectory.Entry entry, Environment environment) {
        CompletableFuture<String> engineExecId = new CompletableFuture<>();
        EngineExec exec;
        try {
            exec = environments.engine(environment).adoptTerminalExec(entry.container(), entry.shell(), entry.user(),
                    engineExecId, entry.processTag());
        } catch (RuntimeException e) {
            directory.ended(entry.execId());
            counts.unreserve(entry.owner().name(), true);
            throw e;
        }
        TerminalSpec spec = new TerminalSpec(entry.execId(), environment, exec, entry.owner(), entry.credential(),
                entry.clientAddress(), entry.container(), entry.shell(), entry.user(), entry.processTag(),
                System.nanoTime(), true);
        Terminal terminal = new Terminal(spec, parts, this::moved);
        if (entry.size() != null) {
            terminal.resize(entry.size());
        }
        counts.added(spec.owner().name());
        table.put(spec.id(), terminal);
        CompletableFuture<String> recorded = directory.engineExecId(entry);
        recorded.whenComplete((id, failure) -> {
            if (failure == null) {
                engineExecId.complete(id);
            } else {
                engineExecId.completeExceptionally(failure);
            }
        });
        terminal.finished().whenComplete((done, failure) -> recorded.cancel(false));
        return terminal;
    }

    /** {@code terminal}, once {@code user} may exec in its environment and {@code envId} names that environment. */
    private static Terminal attachable(Terminal terminal, String envId, SignedInUser user) {
        requireExec(user, terminal.spec().environment());
        requireEnvironment(terminal, envId);
        return terminal;
    }

    private static void requireExec(SignedInUser user, Environment environment) {
        if (!user.mayExec(environment)) {
            throw PortholeException.forbidden("you may not open terminals in " + environment);
        }
    }

    /** Records the size for the terminal {@code execId}, attached or not, and applies it if its process runs. */
    void resize(String execId, String envId, String credential, TerminalSize size) {
        Optional<Terminal> here = find(execId, credential);
        if (here.map(t -> t.spec().shared() && !t.open()).orElse(directory.shared())) {
            resizeShared(execId, envId, credential, size);
            return;
        }
        Terminal terminal = here.orElseThrow(() -> PortholeException.notFound(UNKNOWN));
        requireEnvironment(terminal, envId);
        terminal.resize(size);
    }

    /**
     * A terminal this node does not run: the size of a waiting one is recorded in its entry, where whichever node
     * claims it reads it; one that runs is resized by the node that runs it, which owns its size.
     */
    private void resizeShared(String execId, String envId, String credential, TerminalSize size) {
        TerminalDirectory.Entry entry = directory.recordSize(execId, credential, envId, size)
                .orElseThrow(() -> PortholeException.notFound(UNKNOWN));
        if (!entry.on(envId)) {
            throw PortholeException.badRequest(ENVIRONMENT_MISMATCH);
        }
        String node = entry.runsOn();
        if (node == null) {
            return;
        }
        boolean resized = node.equals(directory.node()) ? resizeHere(execId, credential, size)
                : directory.resizeOn(node, execId, credential, size);
        if (!resized) {
            throw PortholeException.notFound(UNKNOWN);
        }
    }

    /** Resizes a terminal of this node's table, for a resize that reached another node; false when there is none. */
    private boolean resizeHere(String execId, String credential, TerminalSize size) {
        Optional<Terminal> terminal = find(execId, credential).filter(t -> t.state() != Terminal.State.ENDED);
        terminal.ifPresent(t -> t.resize(size));
        return terminal.isPresent();
    }

    /** Another node claimed a terminal this node created: its waiting copy here goes, the engine's exec stays. */
    private void claimedElsewhere(String execId) {
        Terminal terminal = table.get(execId);
        if (terminal != null) {
            terminal.drop();
        }
    }

    /** The environment of the terminal {@code execId} while it waits for {@code credential} to attach it. */
    Optional<Environment> waitingEnvironment(String execId, String credential) {
        Optional<Environment> here = find(execId, credential).filter(t -> t.state() == Terminal.State.WAITING)
                .map(t -> t.spec().environment());
        if (here.isPresent() || !directory.shared() || execId == null) {
            return here;
        }
        return directory.find(execId, credential).filter(TerminalDirectory.Entry::waiting)
                .flatMap(entry -> environments.find(entry.environmentId()));
    }

    private Optional<Terminal> find(String execId, String credential) {
        return Optional.ofNullable(execId == null ? null : table.get(execId)).filter(t -> t.ownedBy(credential));
    }

    /** The envId must be the terminal's environment as the API writes it: digits only, nothing around them. */
    private static void requireEnvironment(Terminal terminal, String envId) {
        if (!String.valueOf(terminal.spec().environment().id()).equals(envId)) {
            throw PortholeException.badRequest(ENVIRONMENT_MISMATCH);
        }
    }

    /**
     * Ends every terminal of {@code credential}, waiting or open: its session was signed out or expired, or its token
     * was revoked, as {@code why} says. Open terminals close as {@link Problem#UNAUTHENTICATED}.
     */
    public void endAllOf(String credential, Ending why) {
        endedCredentials.ended(credential); // first: see attach
        table.values().stream()
                .filter(t -> t.ownedBy(credential))
                .forEach(t -> t.end(Close.signedOut(why)));
    }

    /**
     * Ends every open terminal on {@code environment}, which was changed or removed: they close as
     * {@link Problem#GOING_AWAY} with {@code reason}, and their processes are ended through the old engine. Answers
     * when all that is done.
     */
    CompletableFuture<Void> endAllOn(Environment environment, String reason) {
        List<CompletableFuture<Void>> finished = new ArrayList<>();
        table.values().stream()
                .filter(t -> t.open() && t.spec().environment().id() == environment.id())
                .forEach(t -> {
                    t.end(new Close(Problem.GOING_AWAY, reason, Ending.ENVIRONMENT_CHANGED));
                    finished.add(t.finished());
                });
        return CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new));
    }

    /** Ends every terminal, as {@code close} says. */
    public void endAll(Close close) {
        table.values().forEach(t -> t.end(close));
    }

    /** How many terminals there are, waiting or open. */
    int size() {
        return table.size();
    }

    /** How many terminals are open on each environment that has any. */
    Map<Integer, Integer> countOpenByEnvironment() {
        Map<Integer, Integer> counts = new HashMap<>();
        table.values().stream().filter(Terminal::open)
                .forEach(t -> counts.merge(t.spec().environment().id(), 1, Integer::sum));
        return counts;
    }

    /** How many terminals wait for their client on each environment that has any, expired ones left out. */
    Map<Integer, Integer> countWaitingByEnvironment() {
        long now = System.nanoTime();
        Map<Integer, Integer> counts = new HashMap<>();
        table.values().stream().filter(t -> t.waiting(now, attachTimeout))
                .forEach(t -> counts.merge(t.spec().environment().id(), 1, Integer::sum));
        return counts;
    }

    int countOpenOwnedBy(SignedInUser user) {
        return counts.openOf(user.name());
    }

    int countWaitingOwnedBy(SignedInUser user) {
        return counts.waitingOf(user.name());
    }

    private void expire() {
        long now = System.nanoTime();
        table.values().forEach(t -> t.expire(now, attachTimeout));
    }

    /** See {@link LimitCounts#reserve}; {@code shared}: as {@link #shares} said of the terminal's environment. */
    Optional<TerminalDirectory.Limit> reserve(SignedInUser owner, TerminalOptions.Limits limits, boolean shared) {
        return counts.reserve(owner.name(), limits, table.size(), shared);
    }

    /** See {@link LimitCounts#unreserve}. */
    void unreserve(SignedInUser owner, boolean shared) {
        counts.unreserve(owner.name(), shared);
    }

    /** Keeps the counts and the table; called under the terminal's lock, so two changes of one never cross. */
    private void moved(Terminal terminal, Terminal.State from, Terminal.State to) {
        boolean inCluster = terminal.spec().shared() && !terminal.dropped();
        counts.moved(terminal.spec().owner().name(), from, to, inCluster);
        if (to == Terminal.State.ENDED) {
            table.remove(terminal.id(), terminal);
            if (inCluster) {
                directory.ended(terminal.id());
            }
            if (from != Terminal.State.WAITING) {
                closing.started();
                terminal.finished().whenComplete((done, failure) -> closing.finished());
            }
        }
    }
}
