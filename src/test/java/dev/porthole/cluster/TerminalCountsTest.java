package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.porthole.terminal.TerminalDirectory.Change;
import dev.porthole.terminal.TerminalDirectory.Limit;
import dev.porthole.terminal.TerminalOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalCountsTest {
    /** Two open per user, four in all, two waiting per user. */
    private static final TerminalOptions.Limits LIMITS = new TerminalOptions.Limits(2, 4, 2, 64);

    @Test
    void eachLimitRefusesOnceReachedInTheOrderACreateNamesThem() {
        TerminalCounts counts = TerminalCounts.NONE.added("alice").added("alice");
        assertEquals(Limit.PENDING_PER_USER, counts.limitReachedBy("alice", LIMITS));
        counts = counts.changed("alice", Change.ATTACHED).changed("alice", Change.ATTACHED);
        assertEquals(Limit.SESSIONS_PER_USER, counts.limitReachedBy("alice", LIMITS));
        counts = counts.added("bob").added("bob");
        assertEquals(Limit.SESSIONS_TOTAL, counts.limitReachedBy("carol", LIMITS));
        assertEquals(4, counts.total());
    }

    @Test
    void everyEndUncountsWhatItsTerminalCountedAndUsersAtZeroAreForgotten() {
        TerminalCounts counts = TerminalCounts.NONE.added("alice").added("alice").changed("alice", Change.ATTACHED);
        assertEquals(1, counts.waiting("alice"));
        assertEquals(1, counts.open("alice"));
        counts = counts.changed("alice", Change.WAITING_ENDED).changed("alice", Change.OPEN_ENDED);
        assertEquals(new TerminalCounts(Map.of(), 0), counts);
        assertNull(counts.limitReachedBy("alice", LIMITS));
    }

    @Test
    void anEndNeverCountsBelowZero() {
        TerminalCounts counts = TerminalCounts.NONE.changed("alice", Change.OPEN_ENDED).changed("alice", Change.ATTACHED);
        assertEquals(0, counts.waiting("alice"));
        assertEquals(1, counts.open("alice"));
        assertEquals(0, counts.total());
    }
}
