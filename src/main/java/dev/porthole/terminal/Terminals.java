package dev.porthole.terminal;

import dev.porthole.docker.Environment;
import dev.porthole.docker.Environments;
import dev.porthole.error.PortholeException;
import dev.porthole.security.SignedInUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/** The attached terminals, by exec id: found here to be resized, and ended on sign-out or shutdown. */
public final class Terminals {
    private final ConcurrentMap<String, TerminalSession> live = new ConcurrentHashMap<>();
    private final OwnerCounts owners = new OwnerCounts();
    private final ExecTickets tickets;
    private final Environments environments;
    private final ProcessReaper reaper;
    private final TerminalStarts starts;
    private final Closing closing;
    private final ExecutorService relayThreads;
    private final OutputSelectors selectors;
    private final TerminalObserver observer;

    Terminals(ExecTickets tickets, Environments environments, ProcessReaper reaper, TerminalStarts starts,
            Closing closing, ExecutorService relayThreads, OutputSelectors selectors, TerminalObserver observer) {
        this.tickets = tickets;
        this.environments = environments;
        this.reaper = reaper;
        this.starts = starts;
        this.closing = closing;
        this.relayThreads = relayThreads;
        this.selectors = selectors;
        this.observer = observer;
    }

    /**
     * Claims the exec instance {@code execId} for {@code user} and starts relaying it to {@code client}.
     * Unknown, expired, used and foreign ids all fail alike, so none of them reveals that an id exists.
     */
    TerminalSession attach(String execId, String envId, SignedInUser user, TerminalSink client) {
        ExecTicket pending = tickets.find(execId, user)
                .orElseThrow(() -> PortholeException.notFound(ExecTickets.UNKNOWN));
        requireEnvironment(pending, envId);
        ExecTicket ticket = tickets.claim(execId, user);
        TerminalSession session = new TerminalSession(ticket, environments.engine(ticket.environment()), client,
                reaper, starts, relayThreads, selectors, observer, this::forget);
        // Counted before it is live, so that an end racing with this attach never uncounts it first;
        // a ticket is claimed once, so its id is never live already.
        owners.added(ticket.owner().name());
        live.put(ticket.id(), session);
        try {
            relayThreads.execute(session::relay);
        } catch (RejectedExecutionException e) {
            session.end(1001, "server is shutting down", Ending.SHUTDOWN);
        }
        return session;
    }

    /** Records the size for an exec instance, attached or not, and applies it if its process runs. */
    void resize(String execId, String envId, SignedInUser user, TerminalSize size) {
        ExecTicket ticket = tickets.find(execId, user)
                .or(() -> find(execId, user).map(TerminalSession::ticket))
                .orElseThrow(() -> PortholeException.notFound(ExecTickets.UNKNOWN));
        requireEnvironment(ticket, envId);
        ticket.size().set(size);
        // Looked up after the set: a session that started meanwhile either sees the new size or is found here.
        find(execId, user).ifPresent(TerminalSession::applyRequestedSize);
    }

    private Optional<TerminalSession> find(String execId, SignedInUser user) {
        return Optional.ofNullable(live.get(execId)).filter(s -> s.ticket().ownedBy(user));
    }

    private static void requireEnvironment(ExecTicket ticket, String envId) {
        if (!String.valueOf(ticket.environment().id()).equals(envId == null ? null : envId.trim())) {
            throw PortholeException.badRequest("envId does not match the environment of this exec instance");
        }
    }

    /** Ends every terminal opened from HTTP session {@code httpSessionId}: its user signed out or it expired. */
    public void endAllOf(String httpSessionId) {
        live.values().stream()
                .filter(s -> s.ticket().httpSessionId().equals(httpSessionId))
                .forEach(s -> s.end(4401, "signed out", Ending.SIGNED_OUT));
    }

    /**
     * Ends every terminal on {@code environment}, which was changed or removed: they close with 1001 and
     * {@code reason}, and their processes are ended through the old engine. Answers when all that is done.
     */
    CompletableFuture<Void> endAllOn(Environment environment, String reason) {
        List<CompletableFuture<Void>> finished = new ArrayList<>();
        live.values().stream()
                .filter(s -> s.environmentId() == environment.id())
                .forEach(s -> {
                    s.end(1001, reason, Ending.ENVIRONMENT_CHANGED);
                    finished.add(s.finished());
                });
        return CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new));
    }

    public void endAll(int code, String reason) {
        live.values().forEach(s -> s.end(code, reason, Ending.SHUTDOWN));
    }

    public int count() {
        return live.size();
    }

    int countOwnedBy(SignedInUser user) {
        return owners.of(user.name());
    }

    /** One keepalive round over every live terminal. */
    void keepalive(int maxMissed, Executor pingThreads) {
        live.values().forEach(s -> s.keepalive(maxMissed, pingThreads));
    }

    private void forget(TerminalSession session) {
        if (live.remove(session.id(), session)) {
            owners.removed(session.ticket().owner().name());
            closing.started();
            session.finished().whenComplete((done, failure) -> closing.finished());
        }
    }
}
