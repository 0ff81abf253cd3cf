package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.porthole.security.FailureTable;
import dev.porthole.security.SharedSecurity;
import dev.porthole.security.SignInFailures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The failed sign-in tables: this JVM's, and the grid's as two members see it; the same contract for both. */
class FailureTableTest {
    @RegisterExtension
    static final SharedStateGrid grid = new SharedStateGrid();
    private static final int THREADS = 4;
    private static final int UPDATES_EACH = 50;

    private static SignInFailures plusOne(SignInFailures old) {
        return new SignInFailures(old == null ? 1 : old.count() + 1, 0);
    }

    /** Every update counts once, whichever table (member) the threads go through: none is lost to a race. */
    private static void concurrentUpdatesAllCount(List<FailureTable> tables, String key) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                FailureTable table = tables.get(t % tables.size());
                done.add(threads.submit(() -> {
                    for (int i = 0; i < UPDATES_EACH; i++) {
                        table.update(key, FailureTableTest::plusOne);
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdown();
        }
        for (FailureTable table : tables) {
            assertEquals(THREADS * UPDATES_EACH, table.get(key).count());
        }
    }

    private static void nullForgets(FailureTable table) {
        table.update("forgotten", FailureTableTest::plusOne);
        assertEquals(null, table.update("forgotten", old -> null));
        assertNull(table.get("forgotten"));
    }

    @Test
    void thisJvmsTableCountsEveryConcurrentUpdate() throws Exception {
        concurrentUpdatesAllCount(List.of(SharedSecurity.local().failures("names", Duration.ofMinutes(1))), "dave");
    }

    @Test
    void theGridsTableCountsEveryConcurrentUpdateFromBothMembers() throws Exception {
        concurrentUpdatesAllCount(List.of(security(0).failures("names", Duration.ofMinutes(1)),
                security(1).failures("names", Duration.ofMinutes(1))), "dave");
    }

    @Test
    void updatingToNullForgetsTheKeyInBoth() {
        nullForgets(SharedSecurity.local().failures("addresses", Duration.ofMinutes(1)));
        nullForgets(security(0).failures("addresses", Duration.ofMinutes(1)));
        assertNull(security(1).failures("addresses", Duration.ofMinutes(1)).get("forgotten"));
    }

    @Test
    void theGridsClockIsTheWallClockInNanoseconds() {
        long before = System.currentTimeMillis();
        long now = security(0).clock().getAsLong() / 1_000_000L;
        assertEquals(true, now >= before && now <= System.currentTimeMillis(), "wall clock: " + now);
    }

    private static SharedSecurity security(int member) {
        return grid.member(member).security((credential, why) -> { });
    }
}
