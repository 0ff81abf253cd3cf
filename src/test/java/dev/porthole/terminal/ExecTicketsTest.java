package dev.porthole.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.porthole.error.PortholeException;
import dev.porthole.security.SignedInUser;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-user count behind limits.pending-per-user follows every way a ticket comes and goes. */
class ExecTicketsTest {
    private static final SignedInUser ALICE = new SignedInUser("alice", Set.of("porthole-exec"));
    private static final SignedInUser BOB = new SignedInUser("bob", Set.of("porthole-exec"));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static ExecTicket ticket(String id, SignedInUser owner) {
        return new ExecTicket(id, null, EngineExecId.known("docker-" + id), owner, "session", "127.0.0.1", "c", "/bin/sh", "root", "tag",
                System.nanoTime(), new AtomicReference<>());
    }

    @Test
    void countsFollowAddAndClaim() {
        ExecTickets tickets = new ExecTickets(Duration.ofMinutes(1), timer);
        tickets.add(ticket("a1", ALICE));
        tickets.add(ticket("a2", ALICE));
        tickets.add(ticket("b1", BOB));
        assertEquals(2, tickets.countOwnedBy(ALICE));
        assertEquals(1, tickets.countOwnedBy(BOB));

        assertThrows(PortholeException.class, () -> tickets.claim("a1", BOB)); // not hers to claim: still counted
        assertEquals(2, tickets.countOwnedBy(ALICE));
        tickets.claim("a1", ALICE);
        assertEquals(1, tickets.countOwnedBy(ALICE));
        assertThrows(PortholeException.class, () -> tickets.claim("a1", ALICE)); // claimed once only
        assertEquals(1, tickets.countOwnedBy(ALICE));
        assertEquals(2, tickets.size());
    }

    @Test
    void expiredTicketsAreUncounted() throws InterruptedException {
        ExecTickets tickets = new ExecTickets(Duration.ofMillis(100), timer);
        tickets.add(ticket("a1", ALICE));
        tickets.add(ticket("b1", BOB));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (tickets.size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, tickets.size());
        assertEquals(0, tickets.countOwnedBy(ALICE));
        assertEquals(0, tickets.countOwnedBy(BOB));
    }
}
