package dev.porthole.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import dev.porthole.terminal.TerminalDirectory.Entry;
import dev.porthole.terminal.TerminalDirectory.Change;
import dev.porthole.terminal.TerminalDirectory.Limit;
import dev.porthole.terminal.TerminalDirectory.Refusal;
import dev.porthole.terminal.TerminalOptions;
import dev.porthole.terminal.TerminalSize;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The changes of a terminal's directory entry, each made atomically on the member that owns the entry (and again on
 * its backup, from the same value): a claim cannot cross another claim, a size or an end. None brings back an entry
 * that expired or went.
 */
final class TerminalSteps {
    private TerminalSteps() {
    }

    /** The engine made the exec instance (its id), or refused it. */
    record Created(String engineExecId, Refusal refusal) implements EntryProcessor<String, Entry, Entry> {
        @Override
        public Entry process(Map.Entry<String, Entry> entry) {
            Entry now = entry.getValue();
            if (now == null) {
                return null;
            }
            Entry next = refusal != null ? now.withRefusal(refusal) : now.withEngineExecId(engineExecId);
            ((ExtendedMapEntry<String, Entry>) entry).setValueWithoutChangingExpiryTime(next);
            return next;
        }
    }

    /**
     * Claims a waiting terminal of {@code credential} on environment {@code envId} for {@code node}; answers the
     * claimed entry, or null when it is not this claim's: unknown, expired, foreign, claimed already, on another
     * environment. A claimed entry no longer expires: the node that runs it ends it.
     */
    record Claim(String credential, String envId, String node, String member)
            implements EntryProcessor<String, Entry, Entry> {
        @Override
        public Entry process(Map.Entry<String, Entry> entry) {
            Entry now = entry.getValue();
            if (now == null || !now.ownedBy(credential) || !now.waiting() || !now.on(envId)) {
                return null;
            }
            Entry claimed = now.claimedBy(node, member);
            ((ExtendedMapEntry<String, Entry>) entry).setValue(claimed, 0, TimeUnit.SECONDS);
            return claimed;
        }
    }

    /**
     * Records the size asked for a waiting terminal of {@code credential} on {@code envId} whose claimer will read
     * it (the node of its agent's, too, which may not be the one that holds its waiting copy); answers the entry as it
     * is then (unchanged if a node runs it, or it is on another environment), or null when it is unknown or foreign.
     */
    record RecordSize(String credential, String envId, TerminalSize size) implements EntryProcessor<String, Entry, Entry> {
        @Override
        public Entry process(Map.Entry<String, Entry> entry) {
            Entry now = entry.getValue();
            if (now == null || !now.ownedBy(credential)) {
                return null;
            }
            if (!now.on(envId) || !now.waiting()) {
                return now;
            }
            Entry sized = now.withSize(size);
            ((ExtendedMapEntry<String, Entry>) entry).setValueWithoutChangingExpiryTime(sized);
            return sized;
        }
    }

    /** Counts one more waiting terminal of {@code owner} if no limit is reached; answers the limit, or null. */
    record Reserve(String owner, TerminalOptions.Limits limits) implements EntryProcessor<String, TerminalCounts, Limit> {
        @Override
        public Limit process(Map.Entry<String, TerminalCounts> entry) {
            TerminalCounts now = entry.getValue() != null ? entry.getValue() : TerminalCounts.NONE;
            Limit reached = now.limitReachedBy(owner, limits);
            if (reached == null) {
                entry.setValue(now.added(owner));
            }
            return reached;
        }
    }

    /** A counted terminal of {@code owner} changed. */
    record Count(String owner, Change change) implements EntryProcessor<String, TerminalCounts, Void> {
        @Override
        public Void process(Map.Entry<String, TerminalCounts> entry) {
            TerminalCounts now = entry.getValue() != null ? entry.getValue() : TerminalCounts.NONE;
            entry.setValue(now.changed(owner, change));
            return null;
        }
    }

    /** Each of {@code each}, in one step. */
    record CountEach(List<Count> each) implements EntryProcessor<String, TerminalCounts, Void> {
        @Override
        public Void process(Map.Entry<String, TerminalCounts> entry) {
            TerminalCounts now = entry.getValue() != null ? entry.getValue() : TerminalCounts.NONE;
            for (Count count : each) {
                now = now.changed(count.owner(), count.change());
            }
            entry.setValue(now);
            return null;
        }
    }

    /**
     * Removes the entry of a terminal that one of {@code deadMembers} runs, or created and holds waiting; answers the
     * entry removed, else null. Removes only what is still a dead member's when it runs: an entry claimed meanwhile by
     * a live node stays, and a second sweep finds nothing to remove.
     */
    record Orphaned(Set<String> deadMembers) implements EntryProcessor<String, Entry, Entry> {
        @Override
        public Entry process(Map.Entry<String, Entry> entry) {
            Entry now = entry.getValue();
            if (now == null || !deadMembers.contains(now.waiting() ? now.createdOnMember() : now.runsOnMember())) {
                return null;
            }
            entry.setValue(null);
            return now;
        }
    }

    /** The terminal ended on {@code node}: its entry goes, unless another node claimed it and runs it. */
    record Ended(String node) implements EntryProcessor<String, Entry, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, Entry> entry) {
            Entry now = entry.getValue();
            if (now == null || !(now.waiting() || node.equals(now.runsOn()))) {
                return false;
            }
            entry.setValue(null);
            return true;
        }
    }
}
