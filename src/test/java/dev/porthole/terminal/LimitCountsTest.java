package dev.porthole.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which node counts a terminal in the cluster's counts, at which change of its state. */
class LimitCountsTest {
    private final List<String> told = new ArrayList<>();
    private final LimitCounts counts = new LimitCounts(new TerminalDirectory() {
        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public String node() {
            return "node-0";
        }

        @Override
        public Optional<Limit> reserve(String owner, TerminalOptions.Limits limits) {
            told.add("reserve " + owner);
            return Optional.empty();
        }

        @Override
        public void counted(String owner, Change change) {
            told.add(change + " " + owner);
        }
    });

    @Test
    void aTerminalIsCountedOnceAtCreateThenAtItsAttachAndItsEnd() {
        counts.reserve("alice", new TerminalOptions.Limits(1, 1, 1, 1), 0, true);
        counts.added("alice");
        counts.moved("alice", Terminal.State.WAITING, Terminal.State.STARTING, true);
        counts.moved("alice", Terminal.State.STARTING, Terminal.State.RUNNING, true);
        counts.moved("alice", Terminal.State.RUNNING, Terminal.State.ENDED, true);
        assertEquals(List.of("reserve alice", "ATTACHED alice", "OPEN_ENDED alice"), told);
        assertEquals(0, counts.openOf("alice"));
        assertEquals(0, counts.waitingOf("alice"));
    }

    @Test
    void aWaitingCopyDroppedForAnotherNodesClaimIsLeftToThatNodeToCount() {
        counts.added("alice");
        counts.moved("alice", Terminal.State.WAITING, Terminal.State.ENDED, false);
        assertEquals(List.of(), told);
        assertEquals(0, counts.waitingOf("alice"));
    }

    @Test
    void aTerminalEndedWhileWaitingAndACreateThatWentNoFurtherGiveBackTheirPlace() {
        counts.added("alice");
        counts.moved("alice", Terminal.State.WAITING, Terminal.State.ENDED, true);
        counts.unreserve("bob", true);
        assertEquals(List.of("WAITING_ENDED alice", "WAITING_ENDED bob"), told);
    }

    @Test
    void aTerminalTheClusterDoesNotShareIsCountedAndLimitedOnItsNodeOnly() {
        TerminalOptions.Limits limits = new TerminalOptions.Limits(1, 1, 1, 1);
        assertEquals(Optional.empty(), counts.reserve("warm-up", limits, 0, false));
        counts.added("warm-up");
        assertEquals(Optional.of(TerminalDirectory.Limit.PENDING_PER_USER), counts.reserve("warm-up", limits, 1, false));
        counts.moved("warm-up", Terminal.State.WAITING, Terminal.State.STARTING, false);
        counts.moved("warm-up", Terminal.State.STARTING, Terminal.State.ENDED, false);
        counts.unreserve("warm-up", false);
        assertEquals(List.of(), told);
        assertEquals(0, counts.openOf("warm-up"));
    }
}
