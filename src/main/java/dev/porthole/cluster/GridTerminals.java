package dev.porthole.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.projection.Projections;
import com.hazelcast.query.Predicates;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import dev.porthole.terminal.TerminalDirectory;
import dev.porthole.terminal.TerminalOptions;
import dev.porthole.terminal.TerminalSize;
import dev.porthole.terminal.TerminalDirectory.Change;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal directory of a cluster: a grid map from exec id to {@link Entry}, changed only by the atomic steps of
 * {@link TerminalSteps}, so that of two nodes claiming one waiting terminal exactly one wins. A waiting entry lives as
 * long as the attach timeout (the map's TTL: an expired one cannot be claimed on any node, and its exec instance,
 * never started, costs the engine nothing); a claimed one lives until the node that runs it ends it. Resizes of a
 * running terminal go to that node by the grid's executor, where {@link Here} finds it. The entries name each node
 * by its name (where calls are routed) and by its member id (which start of it); when a member dies, the survivor
 * that ends its processes also removes its entries and gives their places back ({@link #sweepDead}).
 */
final class GridTerminals implements TerminalDirectory {
    private static final Logger log = LoggerFactory.getLogger(GridTerminals.class);
    static final String MAP = "porthole.terminals";
    /** The map of the one {@link TerminalCounts}, under {@link #ALL}. */
    static final String COUNTS = "porthole.terminal-counts";
    static final String ALL = "all";
    /** The key of this node's {@link Here} in the grid's user context, where the routed resizes find it. */
    static final String HERE = "porthole.terminals.here";
    private static final String EXECUTOR = "porthole.terminals";
    /** As long as an engine resize may take: connect and read timeouts of the engine, with room. */
    private static final Duration ROUTED_PATIENCE = Duration.ofSeconds(30);

    private final HazelcastInstance hazelcast;
    private final IMap<String, Entry> map;
    private final IMap<String, TerminalCounts> counts;
    private final String node;
    /** This start of the node: the member's id, new at every start. */
    private final String member;
    /** The engine ids this node's claims of other nodes' terminals wait for, by exec id; see {@link #engineExecId}. */
    private final ConcurrentMap<String, CompletableFuture<String>> awaited = new ConcurrentHashMap<>();

    GridTerminals(HazelcastInstance hazelcast, String node) {
        this.hazelcast = hazelcast;
        this.map = hazelcast.getMap(MAP);
        this.counts = hazelcast.getMap(COUNTS);
        this.node = node;
        this.member = hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public void serve(Here here) {
        hazelcast.getUserContext().put(HERE, here);
        map.addEntryListener(new ClaimedElsewhere(here, node), Predicates.equal("createdOn", node), true);
        // Once for all: a listener added for each wait is registered with every member, and removed from each, on
        // the way to the prompt.
        map.addEntryListener(new Awaited(awaited), Predicates.and(Predicates.equal("runsOn", node),
                Predicates.notEqual("createdOn", node)), true);
    }

    @Override
    public void waiting(Entry entry, Duration attachTimeout) {
        // The grid counts TTLs in whole seconds: rounded up, so that an entry never expires before its terminal.
        map.set(entry.execId(), entry.withCreatedOnMember(member), Math.max(1, (attachTimeout.toMillis() + 999) / 1000),
                TimeUnit.SECONDS);
    }

    @Override
    public void engineExecCreated(String execId, String engineExecId) {
        map.executeOnKey(execId, new TerminalSteps.Created(engineExecId, null));
    }

    @Override
    public void engineExecRefused(String execId, Refusal refusal) {
        map.executeOnKey(execId, new TerminalSteps.Created(null, refusal));
    }

    @Override
    public Optional<Entry> find(String execId, String credential) {
        return Optional.ofNullable(map.get(execId)).filter(entry -> entry.ownedBy(credential));
    }

    @Override
    public Optional<Entry> claim(String execId, String credential, String envId) {
        return Optional.ofNullable(map.executeOnKey(execId,
                new TerminalSteps.Claim(credential, envId, node, member)));
    }

    @Override
    public Optional<Entry> recordSize(String execId, String credential, String envId, TerminalSize size) {
        return Optional.ofNullable(map.executeOnKey(execId, new TerminalSteps.RecordSize(credential, envId, size)));
    }

    @Override
    public boolean resizeOn(String node, String execId, String credential, TerminalSize size) {
        Optional<Member> member = member(node);
        if (member.isEmpty()) {
            return false; // the node left: its terminals ended with it
        }
        Future<Boolean> resized = hazelcast.getExecutorService(EXECUTOR)
                .submitToMember(new RoutedResize(execId, credential, size), member.get());
        // A node that left before it answered ended its terminals with it.
        return MemberCalls.await(resized, node, "resize the terminal", ROUTED_PATIENCE, PortholeException.notFound(
                "unknown, expired or already used exec instance"));
    }

    private Optional<Member> member(String name) {
        return hazelcast.getCluster().getMembers().stream()
                .filter(member -> name.equals(Grid.nameOf(member))).findFirst();
    }

    /**
     * Waits for the changes of the entry, which this node claimed, until its creator recorded the engine's id or
     * refusal, or it went; the wait goes as soon as the future completes, cancelled included.
     */
    @Override
    public CompletableFuture<String> engineExecId(Entry entry) {
        CompletableFuture<String> id = new CompletableFuture<>();
        if (complete(id, entry)) {
            return id;
        }
        awaited.put(entry.execId(), id);
        id.whenComplete((done, failure) -> awaited.remove(entry.execId(), id));
        Entry now = map.get(entry.execId()); // recorded before the wait was there
        if (now == null) {
            id.completeExceptionally(gone());
        } else {
            complete(id, now);
        }
        return id;
    }

    private static boolean complete(CompletableFuture<String> id, Entry entry) {
        if (entry.refusal() != null) {
            return id.completeExceptionally(entry.refusal().exception());
        }
        return entry.engineExecId() != null && id.complete(entry.engineExecId());
    }

    private static PortholeException gone() {
        return new PortholeException(Problem.ENGINE_FAILED, "the node that created the exec instance left before "
                + "the engine made it");
    }

    @Override
    public void ended(String execId) {
        map.executeOnKey(execId, new TerminalSteps.Ended(node));
    }

    @Override
    public Optional<Limit> reserve(String owner, TerminalOptions.Limits limits) {
        return Optional.ofNullable(counts.executeOnKey(ALL, new TerminalSteps.Reserve(owner, limits)));
    }

    @Override
    public void counted(String owner, Change change) {
        counts.executeOnKey(ALL, new TerminalSteps.Count(owner, change));
    }

    /**
     * Removes the entries of the terminals that gone members ran, or created and held waiting, and gives their places
     * back in the counts: a projection of the map and one entry processor run over it (each on every member), then one
     * change of the counts. Each entry is removed at most once, by an atomic step that answers it, so its place is
     * given back at most once, however many sweeps run. The members are read after the entries: a member that joined
     * meanwhile is among them, and a member's id never comes back once it is gone.
     */
    void sweepDead(Supplier<Set<UUID>> liveMembers) {
        Set<String> dead = new HashSet<>();
        for (Object[] holders : map.project(Projections.<Map.Entry<String, Entry>>multiAttribute("createdOnMember",
                "runsOnMember"))) {
            Arrays.stream(holders).filter(Objects::nonNull).forEach(holder -> dead.add(holder.toString()));
        }
        liveMembers.get().forEach(id -> dead.remove(id.toString()));
        if (dead.isEmpty()) {
            return;
        }
        Map<String, Entry> removed = map.executeOnEntries(new TerminalSteps.Orphaned(dead));
        List<TerminalSteps.Count> places = new ArrayList<>();
        Map<String, Integer> perNode = new TreeMap<>();
        removed.values().stream().filter(Objects::nonNull).forEach(entry -> {
            places.add(new TerminalSteps.Count(entry.owner().name(),
                    entry.waiting() ? Change.WAITING_ENDED : Change.OPEN_ENDED));
            perNode.merge(entry.waiting() ? entry.createdOn() : entry.runsOn(), 1, Integer::sum);
        });
        if (places.isEmpty()) {
            return;
        }
        counts.executeOnKey(ALL, new TerminalSteps.CountEach(places));
        perNode.forEach((node, terminals) -> log.warn("node {} is gone: its {} terminals left the directory and the "
                + "limits", node, terminals));
    }

    /** Completes this node's waits for engine ids from the changes of the entries it claimed from other nodes. */
    private record Awaited(ConcurrentMap<String, CompletableFuture<String>> ids)
            implements EntryUpdatedListener<String, Entry>, EntryRemovedListener<String, Entry> {
        @Override
        public void entryUpdated(EntryEvent<String, Entry> event) {
            CompletableFuture<String> id = ids.get(event.getKey());
            if (id != null) {
                complete(id, event.getValue());
            }
        }

        @Override
        public void entryRemoved(EntryEvent<String, Entry> event) {
            CompletableFuture<String> id = ids.get(event.getKey());
            if (id != null) {
                id.completeExceptionally(gone());
            }
        }
    }

    /** Tells the creating node that another node claimed one of its waiting terminals. */
    private record ClaimedElsewhere(Here here, String node) implements EntryUpdatedListener<String, Entry> {
        @Override
        public void entryUpdated(EntryEvent<String, Entry> event) {
            Entry before = event.getOldValue();
            Entry after = event.getValue();
            if (after != null && after.runsOn() != null && !after.runsOn().equals(node)
                    && (before == null || before.waiting())) {
                here.claimedElsewhere(after.execId());
            }
        }
    }
}
