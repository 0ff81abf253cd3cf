package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.security.SignedInUser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The attached terminals, by exec id: found here to be resized, and ended on sign-out or shutdown. A terminal and a
 * waiting exec instance belong to the credential (session or API token) that created them, never to a user name.
 */
public final class Terminals {
    private final ConcurrentMap<String, TerminalSession> live = new ConcurrentHashMap<>();
    private final OwnerCounts owners = new OwnerCounts();
    private final ExecTickets tickets;
    private final EndedCredentials endedCredentials;
    private final Environments environments;
    private final ProcessReaper reaper;
    private final TerminalStarts starts;
    private final Closing closing;
    private final ExecutorService relayThreads;
    private final OutputSelectors selectors;
    private final TerminalObserver observer;

    Terminals(ExecTickets tickets, EndedCredentials endedCredentials, Environments environments, ProcessReaper reaper,
            TerminalStarts starts, Closing closing, ExecutorService relayThreads, OutputSelectors selectors,
            TerminalObserver observer) {
        this.tickets = tickets;
        this.endedCredentials = endedCredentials;
        this.environments = environments;
        this.reaper = reaper;
        this.starts = starts;
        this.closing = closing;
        this.relayThreads = relayThreads;
        this.selectors = selectors;
        this.observer = observer;
    }

    /**
     * Claims the exec instance {@code execId} for {@code credential} and starts relaying it to {@code client}.
     * Unknown, expired, used and foreign ids all fail alike, so none of them reveals that an id exists. The security
     * filter authorised the handshake; this checks again, on the instance itself, that its user may exec there.
     */
    public TerminalSession attach(String execId, String envId, SignedInUser user, String credential, TerminalSink client) {
        if (endedCredentials.hasEnded(credential)) {
            throw new PortholeException(Problem.UNAUTHENTICATED, Close.SIGNED_OUT);
        }
        TerminalSpec pending = tickets.find(execId, credential)
                .orElseThrow(() -> PortholeException.notFound(ExecTickets.UNKNOWN));
        if (!user.mayExec(pending.environment())) {
            throw PortholeException.forbidden("you may not open terminals in " + pending.environment());
        }
        requireEnvironment(pending, envId);
        DockerEngine engine = environments.engine(pending.environment());
        AtomicReference<TerminalSession> attached = new AtomicReference<>();
        tickets.claim(execId, credential, ticket -> {
            TerminalSession session = new TerminalSession(ticket, engine, client, reaper, starts, relayThreads,
                    selectors, observer, this::forget);
            // Counted before it is live, so that an end racing with this attach never uncounts it first;
            // a ticket is claimed once, so its id is never live already.
            owners.added(ticket.owner().name());
            live.put(ticket.id(), session);
            attached.set(session);
        });
        TerminalSession session = attached.get();
        try {
            relayThreads.execute(session::relay);
        } catch (RejectedExecutionException e) {
            session.end(Close.shutdown());
        }
        // Looked at after the session became findable: a credential that ended meanwhile either finds it in
        // endAllOf or is found ended here.
        if (endedCredentials.hasEnded(credential)) {
            session.end(Close.signedOut(Ending.SIGNED_OUT));
        }
        return session;
    }

    /** Records the size for an exec instance, attached or not, and applies it if its process runs. */
    void resize(String execId, String envId, String credential, TerminalSize size) {
        TerminalSpec ticket = tickets.find(execId, credential)
                .or(() -> find(execId, credential).map(TerminalSession::ticket))
                .orElseThrow(() -> PortholeException.notFound(ExecTickets.UNKNOWN));
        requireEnvironment(ticket, envId);
        ticket.size().set(size);
        // Looked up after the set: a session that started meanwhile either sees the new size or is found here.
        find(execId, credential).ifPresent(TerminalSession::applyRequestedSize);
    }

    private Optional<TerminalSession> find(String execId, String credential) {
        return Optional.ofNullable(live.get(execId)).filter(s -> s.ticket().ownedBy(credential));
    }

    /** The envId must be the instance's environment as the API writes it: digits only, nothing around them. */
    private static void requireEnvironment(TerminalSpec ticket, String envId) {
        if (!String.valueOf(ticket.environment().id()).equals(envId)) {
            throw PortholeException.badRequest("envId does not match the environment of this exec instance");
        }
    }

    /**
     * Ends every terminal, and forgets every waiting exec instance, of {@code credential}: its session was signed out
     * or expired, or its token was revoked, as {@code why} says. The terminals close as {@link Problem#UNAUTHENTICATED}.
     */
    public void endAllOf(String credential, Ending why) {
        endedCredentials.ended(credential); // first: see attach
        tickets.forgetAllOf(credential);
        live.values().stream()
                .filter(s -> s.ticket().ownedBy(credential))
                .forEach(s -> s.end(Close.signedOut(why)));
    }

    /**
     * Ends every terminal on {@code environment}, which was changed or removed: they close as {@link Problem#GOING_AWAY} with
     * {@code reason}, and their processes are ended through the old engine. Answers when all that is done.
     */
    CompletableFuture<Void> endAllOn(Environment environment, String reason) {
        List<CompletableFuture<Void>> finished = new ArrayList<>();
        live.values().stream()
                .filter(s -> s.environmentId() == environment.id())
                .forEach(s -> {
                    s.end(new Close(Problem.GOING_AWAY, reason, Ending.ENVIRONMENT_CHANGED));
                    finished.add(s.finished());
                });
        return CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new));
    }

    public void endAll(Close close) {
        live.values().forEach(s -> s.end(close));
    }

    public int count() {
        return live.size();
    }

    /** How many terminals are open on each environment that has any. */
    Map<Integer, Integer> countByEnvironment() {
        Map<Integer, Integer> counts = new HashMap<>();
        live.values().forEach(s -> counts.merge(s.environmentId(), 1, Integer::sum));
        return counts;
    }

    int countOwnedBy(SignedInUser user) {
        return owners.of(user.name());
    }

    private void forget(TerminalSession session) {
        if (live.remove(session.id(), session)) {
            owners.removed(session.ticket().owner().name());
            closing.started();
            session.finished().whenComplete((done, failure) -> closing.finished());
        }
    }
}
