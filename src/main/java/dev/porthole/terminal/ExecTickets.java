package dev.porthole.terminal;

import dev.porthole.error.PortholeException;
import dev.porthole.security.SignedInUser;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentMap;

/**
 * Exec instances waiting for their WebSocket. Each can be claimed once, by the credential that created it; one not
 * claimed within the attach timeout, or whose credential ended, is forgotten (the engine never started it, so
 * nothing runs and the engine collects it).
 */
final class ExecTickets {
    /** One message for unknown, expired, used and foreign ids alike, so none of them reveals that an id exists. */
    static final String UNKNOWN = "unknown, expired or already used exec instance";

    private final ConcurrentMap<String, TerminalSpec> pending = new ConcurrentHashMap<>();
    private final OwnerCounts owners = new OwnerCounts();
    private final Duration attachTimeout;

    ExecTickets(Duration attachTimeout, ScheduledExecutorService timer) {
        this.attachTimeout = attachTimeout;
        long period = Math.max(100, Math.min(1000, attachTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::expire, period, period, TimeUnit.MILLISECONDS);
    }

    void add(TerminalSpec ticket) {
        if (pending.putIfAbsent(ticket.id(), ticket) == null) {
            owners.added(ticket.owner().name());
        }
    }

    /** Removes and answers the ticket if {@code credential} owns it and it has not expired; otherwise 404 with {@link #UNKNOWN}. */
    /**
     * Claims a ticket once; {@code attached} runs while the ticket is still findable here, so that whatever it makes
     * findable elsewhere (the attached terminal) is there before the ticket is gone: a resize looking here and then
     * there never misses both.
     */
    TerminalSpec claim(String id, String credential, Consumer<TerminalSpec> attached) {
        AtomicReference<TerminalSpec> claimed = new AtomicReference<>();
        pending.computeIfPresent(id, (key, ticket) -> {
            if (!ticket.ownedBy(credential) || expired(ticket, System.nanoTime())) {
                return ticket;
            }
            claimed.set(ticket);
            attached.accept(ticket);
            return null;
        });
        if (claimed.get() == null) {
            throw PortholeException.notFound(UNKNOWN);
        }
        owners.removed(claimed.get().owner().name());
        return claimed.get();
    }

    Optional<TerminalSpec> find(String id, String credential) {
        return Optional.ofNullable(pending.get(id)).filter(t -> t.ownedBy(credential));
    }

    /** Forgets every ticket of {@code credential}, which ended: nobody may attach them any more. */
    void forgetAllOf(String credential) {
        for (TerminalSpec ticket : pending.values()) {
            if (ticket.ownedBy(credential) && pending.remove(ticket.id(), ticket)) {
                owners.removed(ticket.owner().name());
            }
        }
    }

    long countOwnedBy(SignedInUser user) {
        return owners.of(user.name());
    }

    int size() {
        return pending.size();
    }

    /** How many exec instances wait for their socket on each environment that has any, expired ones left out. */
    Map<Integer, Integer> countByEnvironment() {
        long now = System.nanoTime();
        Map<Integer, Integer> counts = new HashMap<>();
        pending.values().stream().filter(t -> !expired(t, now))
                .forEach(t -> counts.merge(t.environment().id(), 1, Integer::sum));
        return counts;
    }

    private boolean expired(TerminalSpec ticket, long now) {
        return now - ticket.createdNanos() > attachTimeout.toNanos();
    }

    private void expire() {
        long now = System.nanoTime();
        for (Map.Entry<String, TerminalSpec> entry : pending.entrySet()) {
            if (expired(entry.getValue(), now) && pending.remove(entry.getKey(), entry.getValue())) {
                owners.removed(entry.getValue().owner().name());
            }
        }
    }
}
