package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
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

    private final ConcurrentMap<String, Terminal> table = new ConcurrentHashMap<>();
    private final OwnerCounts waiting = new OwnerCounts();
    private final OwnerCounts open = new OwnerCounts();
    private final Duration attachTimeout;
    private final EndedCredentials endedCredentials;
    private final Environments environments;
    private final Closing closing;
    private final TerminalParts parts;

    Terminals(Duration attachTimeout, ScheduledExecutorService timer, EndedCredentials endedCredentials,
            Environments environments, Closing closing, TerminalParts parts) {
        this.attachTimeout = attachTimeout;
        this.endedCredentials = endedCredentials;
        this.environments = environments;
        this.closing = closing;
        this.parts = parts;
        long period = Math.max(100, Math.min(1000, attachTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::expire, period, period, TimeUnit.MILLISECONDS);
    }

    /** A new terminal for {@code spec}, waiting for its client. */
    void add(TerminalSpec spec) {
        Terminal terminal = new Terminal(spec, parts, this::moved);
        // Counted before it is findable, so that an end racing with this add never uncounts it first.
        waiting.added(spec.owner().name());
        table.put(spec.id(), terminal);
    }

    /**
     * Attaches {@code client} to the terminal {@code execId} for {@code credential} and starts it. Unknown, expired,
     * used and foreign ids all fail alike, so none of them reveals that an id exists. The security filter authorised
     * the handshake; this checks again, on the terminal itself, that its user may exec there.
     */
    public Terminal attach(String execId, String envId, SignedInUser user, String credential, TerminalSink client) {
        if (endedCredentials.hasEnded(credential)) {
            throw new PortholeException(Problem.UNAUTHENTICATED, Close.SIGNED_OUT);
        }
        Terminal terminal = find(execId, credential).filter(t -> t.state() == Terminal.State.WAITING)
                .orElseThrow(() -> PortholeException.notFound(UNKNOWN));
        Environment environment = terminal.spec().environment();
        if (!user.mayExec(environment)) {
            throw PortholeException.forbidden("you may not open terminals in " + environment);
        }
        requireEnvironment(terminal, envId);
        DockerEngine engine = environments.engine(environment);
        if (!terminal.claim(credential, client, engine, System.nanoTime(), attachTimeout)) {
            throw PortholeException.notFound(UNKNOWN);
        }
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

    /** Records the size for the terminal {@code execId}, attached or not, and applies it if its process runs. */
    void resize(String execId, String envId, String credential, TerminalSize size) {
        Terminal terminal = find(execId, credential).orElseThrow(() -> PortholeException.notFound(UNKNOWN));
        requireEnvironment(terminal, envId);
        terminal.resize(size);
    }

    /** The environment of the terminal {@code execId} while it waits for {@code credential} to attach it. */
    Optional<Environment> waitingEnvironment(String execId, String credential) {
        return find(execId, credential).filter(t -> t.state() == Terminal.State.WAITING)
                .map(t -> t.spec().environment());
    }

    private Optional<Terminal> find(String execId, String credential) {
        return Optional.ofNullable(execId == null ? null : table.get(execId)).filter(t -> t.ownedBy(credential));
    }

    /** The envId must be the terminal's environment as the API writes it: digits only, nothing around them. */
    private static void requireEnvironment(Terminal terminal, String envId) {
        if (!String.valueOf(terminal.spec().environment().id()).equals(envId)) {
            throw PortholeException.badRequest("envId does not match the environment of this exec instance");
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
        return open.of(user.name());
    }

    int countWaitingOwnedBy(SignedInUser user) {
        return waiting.of(user.name());
    }

    private void expire() {
        long now = System.nanoTime();
        table.values().forEach(t -> t.expire(now, attachTimeout));
    }

    /** Keeps the counts and the table; called under the terminal's lock, so two changes of one never cross. */
    private void moved(Terminal terminal, Terminal.State from, Terminal.State to) {
        String owner = terminal.spec().owner().name();
        if (from == Terminal.State.WAITING) {
            waiting.removed(owner);
        }
        if (to == Terminal.State.STARTING) {
            open.added(owner);
        }
        if (to == Terminal.State.ENDED) {
            table.remove(terminal.id(), terminal);
            if (from != Terminal.State.WAITING) {
                open.removed(owner);
                closing.started();
                terminal.finished().whenComplete((done, failure) -> closing.finished());
            }
        }
    }
}
