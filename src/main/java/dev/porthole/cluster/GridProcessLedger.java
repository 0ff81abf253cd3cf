package dev.porthole.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.porthole.terminal.ProcessLedger;
import dev.porthole.terminal.RunningProcess;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes every node runs, in one grid map keyed by exec id (2 grid operations per terminal: a write once its
 * process started, a removal once its sweep ended it), and the ending of a dead node's processes by a survivor.
 *
 * <p>An entry names the member that runs the process by the member's id, which is new at every start: a node that
 * dies and restarts at once under the same name does not take its dead self's processes for its own. When a member
 * leaves, exactly one survivor acts: the oldest member, which every member agrees on for a given member list. It ends
 * the processes of every member that is no longer in the list (not only the one that left: a survivor that died while
 * ending another's leaves them to the next oldest), through the same sweeps as its own terminals, and removes each
 * entry only once its sweep ran, so that an entry is never lost before its processes are. A node that starts does the
 * same if it is the oldest (the others all left). The map keeps a backup on a second member, so one death loses no
 * entry. The same survivor, in the same pass, does what else the dead leave to do (their terminals' entries and
 * places in the limits), so that the rule of who acts is kept here alone.
 *
 * <p>A node that was frozen (SIGSTOP, a long pause) past the failure timeout was declared dead and its processes
 * ended; when it wakes it sees the others as gone and would end theirs. So a node that finds its own clock ticks were
 * held up that long ends no one else's processes for {@link #FENCE} afterwards. A node that leaves cleanly marks
 * itself as such first, so that its leaving is not recorded as a death.
 *
 * <p>Threads: membership events arrive on the grid's event threads and only queue a pass; passes and the pause watch
 * run on one thread of this ledger's own; the removals run on the engine threads, after each sweep.
 */
final class GridProcessLedger implements ProcessLedger, MembershipListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GridProcessLedger.class);
    /** How long after a pause as long as half the failure timeout this node ends no other node's processes. */
    static final Duration FENCE = Duration.ofMinutes(2);
    private static final Duration TICK = Duration.ofSeconds(1);
    /** A pass that failed (the grid promoting a dead member's partitions, say) is tried again after this. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** How long a clean leave is remembered: far longer than the others take to notice it. */
    private static final Duration LEFT_REMEMBERED = Duration.ofMinutes(10);

    /** One running process and the member that runs it. */
    record Entry(UUID member, String node, RunningProcess process) implements Serializable {
    }

    private final HazelcastInstance hazelcast;
    private final IMap<String, Entry> running;
    /** Members that left cleanly, by id: their leaving is no death. */
    private final IMap<UUID, String> left;
    private final String nodeName;
    private final ScheduledExecutorService thread;
    private final Duration pauseLimit;
    /** What else the one survivor that acts does for the dead; done again at each pass, so it must be idempotent. */
    private final Runnable alsoForTheDead;
    /** Members whose leaving this node heard of and has not yet looked at; only the pass takes from it. */
    private final ConcurrentLinkedQueue<Member> removed = new ConcurrentLinkedQueue<>();
    /** Exec ids queued for a sweep by this node, so that a second pass does not queue them again. */
    private final Set<String> ending = ConcurrentHashMap.newKeySet();
    private volatile Reaper reaper;
    private volatile Deaths deaths;
    private long lastTick = System.nanoTime();
    private long pausedAt;
    private boolean paused;

    GridProcessLedger(HazelcastInstance hazelcast, String nodeName, ScheduledExecutorService thread, Duration failureTimeout,
            Runnable alsoForTheDead) {
        this.hazelcast = hazelcast;
        this.alsoForTheDead = alsoForTheDead;
        this.running = hazelcast.getMap("porthole.running-processes");
        this.left = hazelcast.getMap("porthole.nodes-left");
        this.nodeName = nodeName;
        this.thread = thread;
        this.pauseLimit = failureTimeout.dividedBy(2);
        thread.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void started(RunningProcess process) {
        try {
            running.set(process.execId(), new Entry(hazelcast.getCluster().getLocalMember().getUuid(), nodeName, process));
        } catch (RuntimeException e) {
            log.warn("terminal {} is not in the cluster's ledger: if this node dies, its processes are left: {}",
                    process.execId(), e.toString());
        }
    }

    @Override
    public void ended(String execId) {
        try {
            running.delete(execId);
        } catch (RuntimeException e) {
            log.warn("terminal {} stays in the cluster's ledger: {}", execId, e.toString());
        }
    }

    /** From now on, ends the processes of the members that die, if this node is the oldest; and those already dead. */
    void reapDeadNodes(Reaper reaper, Deaths deaths) {
        this.reaper = reaper;
        this.deaths = deaths;
        hazelcast.getCluster().addMembershipListener(this);
        schedulePass(Duration.ZERO);
    }

    @Override
    public void memberAdded(MembershipEvent event) {
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        removed.add(event.getMember());
        schedulePass(Duration.ZERO);
    }

    private void schedulePass(Duration delay) {
        try {
            thread.schedule(this::pass, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // this node is leaving: the survivors look after the dead
        }
    }

    /** Notes a pause of this JVM: ticks held up as long as half the failure timeout. */
    private void tick() {
        long now = System.nanoTime();
        if (now - lastTick > TICK.toNanos() + pauseLimit.toNanos()) {
            paused = true;
            pausedAt = now;
            log.warn("node {} was paused for {} ms: the other nodes may have declared it dead; it ends none of their "
                    + "processes for {} s", nodeName, TimeUnit.NANOSECONDS.toMillis(now - lastTick), FENCE.toSeconds());
        }
        lastTick = now;
    }

    private boolean fenced() {
        tick(); // a pass may come before the overdue tick
        return paused && System.nanoTime() - pausedAt < FENCE.toNanos();
    }

    /** On this ledger's thread. */
    private void pass() {
        List<Member> heard = new ArrayList<>();
        for (Member member; (member = removed.poll()) != null; ) {
            heard.add(member);
        }
        if (reaper == null || !hazelcast.getLifecycleService().isRunning()) {
            return;
        }
        try {
            Set<Member> members = hazelcast.getCluster().getMembers();
            if (members.isEmpty() || !members.iterator().next().localMember()) {
                return; // the oldest member acts
            }
            if (fenced()) {
                log.warn("node {} ends no other node's processes: it was paused lately", nodeName);
                return;
            }
            reap(heard);
        } catch (RuntimeException e) {
            log.warn("cannot look for the processes of dead nodes, trying again: {}", e.toString());
            removed.addAll(heard);
            schedulePass(RETRY);
        }
    }

    private void reap(List<Member> heard) {
        // The entries first, then the members: a member that joined after the list was read may have entries, and a
        // member's id never comes back once it is gone.
        List<Map.Entry<String, Entry>> entries = new ArrayList<>(running.entrySet());
        Set<UUID> alive = Grid.memberIds(hazelcast);
        Map<UUID, List<Map.Entry<String, Entry>>> orphans = new HashMap<>();
        for (Map.Entry<String, Entry> entry : entries) {
            if (!alive.contains(entry.getValue().member())) {
                orphans.computeIfAbsent(entry.getValue().member(), id -> new ArrayList<>()).add(entry);
            }
        }
        for (Member member : heard) {
            if (!orphans.containsKey(member.getUuid()) && !left.containsKey(member.getUuid())) {
                String name = Grid.nameOf(member);
                log.warn("node {} died; it ran no terminal", name);
                deaths.reaped(name, 0);
            }
        }
        orphans.forEach(this::endAll);
        alsoForTheDead.run();
    }

    /** Ends the processes of one dead member; records its death once all are ended, unless it left cleanly. */
    private void endAll(UUID member, List<Map.Entry<String, Entry>> entries) {
        String name = entries.get(0).getValue().node();
        List<Map.Entry<String, Entry>> fresh = entries.stream().filter(entry -> ending.add(entry.getKey())).toList();
        if (fresh.isEmpty()) {
            return; // all queued by an earlier pass
        }
        boolean died = !left.containsKey(member);
        log.warn("node {} {}: ending the processes of its {} terminals", name, died ? "died" : "left some behind",
                fresh.size());
        AtomicInteger toGo = new AtomicInteger(fresh.size());
        for (Map.Entry<String, Entry> entry : fresh) {
            Runnable then = () -> {
                ended(entry.getKey());
                ending.remove(entry.getKey());
                if (toGo.decrementAndGet() == 0 && died) {
                    deaths.reaped(name, fresh.size());
                }
            };
            try {
                reaper.endProcesses(entry.getValue().process(), then);
            } catch (RuntimeException e) {
                ending.remove(entry.getKey()); // this node is stopping: the next oldest finds it
                log.warn("cannot end the processes of terminal {} of node {}: {}", entry.getKey(), name, e.toString());
            }
        }
    }

    /** Marks this node as leaving cleanly, so that the others record no death; before the member shuts down. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            left.set(hazelcast.getCluster().getLocalMember().getUuid(), nodeName, LEFT_REMEMBERED.toSeconds(),
                    TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            log.debug("cannot mark node {} as leaving: {}", nodeName, e.toString());
        }
    }
}
