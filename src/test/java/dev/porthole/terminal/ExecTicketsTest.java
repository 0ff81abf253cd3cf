package dev.porthole.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.error.PortholeException;
import dev.porthole.security.SignedInUser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-user count behind limits.pending-per-user follows every way a ticket comes and goes, and a ticket is
 * claimed only by the credential that created it.
 */
class ExecTicketsTest {
    private static final SignedInUser ALICE = new SignedInUser("alice", Set.of("porthole-exec"));
    private static final SignedInUser BOB = new SignedInUser("bob", Set.of("porthole-exec"));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static TerminalSpec ticket(String id, SignedInUser owner) {
        return new TerminalSpec(id, null, EngineExecId.known("docker-" + id), owner, credential(owner), "127.0.0.1", "c",
                "/bin/sh", "root", "tag", System.nanoTime(), new AtomicReference<>());
    }

    private static String credential(SignedInUser user) {
        return "session:" + user.name();
    }

    @Test
    void countsFollowAddAndClaim() {
        ExecTickets tickets = new ExecTickets(Duration.ofMinutes(1), timer);
        tickets.add(ticket("a1", ALICE));
        tickets.add(ticket("a2", ALICE));
        tickets.add(ticket("b1", BOB));
        assertEquals(2, tickets.countOwnedBy(ALICE));
        assertEquals(1, tickets.countOwnedBy(BOB));

        assertThrows(PortholeException.class, () -> tickets.claim("a1", credential(BOB), claimed -> { })); // not his to claim: still counted
        assertThrows(PortholeException.class, () -> tickets.claim("a1", "token:alice", claimed -> { })); // alice's, by another credential
        assertEquals(2, tickets.countOwnedBy(ALICE));
        tickets.claim("a1", credential(ALICE), claimed -> { });
        assertEquals(1, tickets.countOwnedBy(ALICE));
        assertThrows(PortholeException.class, () -> tickets.claim("a1", credential(ALICE), claimed -> { })); // claimed once only
        assertEquals(1, tickets.countOwnedBy(ALICE));
        assertEquals(2, tickets.size());
    }

    @Test
    void whatAClaimMakesFindableIsThereBeforeTheTicketIsGone() {
        ExecTickets tickets = new ExecTickets(Duration.ofMinutes(1), timer);
        tickets.add(ticket("a1", ALICE));
        List<Boolean> ticketFindableWhileAttaching = new ArrayList<>();
        tickets.claim("a1", credential(ALICE),
                claimed -> ticketFindableWhileAttaching.add(tickets.find("a1", credential(ALICE)).isPresent()));
        assertEquals(List.of(true), ticketFindableWhileAttaching);
        assertTrue(tickets.find("a1", credential(ALICE)).isEmpty());
    }

    @Test
    void theTicketsOfAnEndedCredentialAreForgottenAndUncounted() {
        ExecTickets tickets = new ExecTickets(Duration.ofMinutes(1), timer);
        tickets.add(ticket("a1", ALICE));
        tickets.add(ticket("a2", ALICE));
        tickets.add(ticket("b1", BOB));
        tickets.forgetAllOf(credential(ALICE));
        assertEquals(0, tickets.countOwnedBy(ALICE));
        assertEquals(1, tickets.size());
        assertThrows(PortholeException.class, () -> tickets.claim("a1", credential(ALICE), claimed -> { }));
        tickets.claim("b1", credential(BOB), claimed -> { });
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
