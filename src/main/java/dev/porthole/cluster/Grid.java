package dev.porthole.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.InterfacesConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.namespace.impl.NodeEngineThreadLocalContext;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.spi.properties.ClusterProperty;
import dev.porthole.terminal.ProcessLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import dev.porthole.docker.EnvironmentConfig;
import dev.porthole.edge.AgentPlaces;
import dev.porthole.security.CredentialEnds;
import dev.porthole.security.SharedSecurity;
import dev.porthole.terminal.TerminalDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as a member of an embedded Hazelcast grid. The grid listens on one port, {@code cluster.port} at
 * {@code cluster.address} (loopback unless configured), and speaks only the member protocol there: no client
 * protocol, REST or memcache endpoint is opened. Members are found by the TCP/IP list {@code cluster.members} only
 * (no multicast, no cloud discovery), join only with the same {@link GridName}, never call home, and log through
 * the application's logger without the grid's name in each line. Closing shuts the member down and waits for its
 * threads to have ended, since the servlet container looks for threads left behind as soon as the web app stops.
 */
public final class Grid implements Cluster {
    static final String NODE_ATTRIBUTE = "porthole.node";
    private static final Logger log = LoggerFactory.getLogger(Grid.class);
    private static final Duration THREAD_END_PATIENCE = Duration.ofSeconds(10);
    /**
     * How long a member that sends no heartbeat (frozen, or its host gone without closing its connections) stays a
     * member: the grid's default, 60 s, would leave a dead node's processes running that long. A kill closes the
     * connections and is noticed within seconds; this bounds the rest, with the sweep after it, under the 30 s a dead
     * node's processes may outlive it. Heartbeats go every second, so a member is missed only after 10 of them.
     */
    static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * When a member cut off from the others (woken from a pause, a network split healed) merges back: the default,
     * 300 s, would keep it a cluster of its own for five minutes.
     */
    private static final Duration MERGE_DELAY = Duration.ofSeconds(30);

    private final HazelcastInstance hazelcast;
    private final String nodeName;
    private final String threadPrefix;
    private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
    private final GridProcessLedger ledger;
    private final GridWarmUp warmUp;

    private Grid(HazelcastInstance hazelcast, String nodeName, String threadPrefix, int warmUpRounds) {
        this.hazelcast = hazelcast;
        this.nodeName = nodeName;
        this.threadPrefix = threadPrefix;
        ScheduledExecutorService ledgerThread = Executors.newSingleThreadScheduledExecutor(
                task -> new Thread(task, threadPrefix + "process-ledger"));
        GridTerminals terminals = new GridTerminals(hazelcast, nodeName);
        this.ledger = new GridProcessLedger(hazelcast, nodeName, ledgerThread, FAILURE_TIMEOUT,
                () -> terminals.sweepDead(() -> memberIds(hazelcast)));
        this.warmUp = GridWarmUp.start(hazelcast, nodeName, warmUpRounds, threadPrefix + "warm-up");
    }

    /** Starts this node's member and joins the others that answer; answers once it is a member (alone if none answers). */
    public static Grid join(ClusterOptions options) {
        requireOwnLibrary(Config.class);
        String nodeName = options.nodeName().orElse(options.bindAddress() + ":" + options.port());
        String instanceName = "porthole-" + options.port();
        Config config = new Config();
        config.setInstanceName(instanceName);
        config.setClusterName(GridName.of(options.name(), options.secret()));
        // The web app's loader: the grid deserialises Porthole's records, and must hold nothing of another loader.
        config.setClassLoader(Grid.class.getClassLoader());
        config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "slf4j");
        config.setProperty(ClusterProperty.LOGGING_ENABLE_DETAILS.getName(), "false"); // the name carries the secret's HMAC
        config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        config.setProperty(ClusterProperty.SHUTDOWNHOOK_ENABLED.getName(), "false"); // the web app stops it
        config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
        config.getJetConfig().setEnabled(false);
        config.setProperty(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS.getName(), "1");
        config.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(), Long.toString(FAILURE_TIMEOUT.toSeconds()));
        config.setProperty(ClusterProperty.MERGE_FIRST_RUN_DELAY_SECONDS.getName(), Long.toString(MERGE_DELAY.toSeconds()));
        config.setProperty(ClusterProperty.MERGE_NEXT_RUN_DELAY_SECONDS.getName(), Long.toString(MERGE_DELAY.toSeconds()));
        // A member that merges back after a split brings a stale copy of the ledger: the cluster it joins has the truth.
        config.getMapConfig("porthole.running-processes").getMergePolicyConfig()
                .setPolicy(DiscardMergePolicy.class.getName());
        // Read and changed only by entry processors on the member that owns it: kept as objects there, not re-read
        // from bytes at each create, attach and end.
        config.getMapConfig(GridTerminals.COUNTS).setInMemoryFormat(InMemoryFormat.OBJECT);
        GridRelayLink.configure(config, options.relayQueueItems());
        config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeName);
        AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
        network.setMemberEndpointConfig(new ServerSocketEndpointConfig()
                .setPort(options.port()).setPortAutoIncrement(false)
                .setInterfaces(new InterfacesConfig().setEnabled(true).addInterface(options.bindAddress())));
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(options.members()));
        log.info("joining {} as node {}", options, nodeName);
        HazelcastInstance hazelcast = Hazelcast.newHazelcastInstance(config);
        Grid grid = new Grid(hazelcast, nodeName, "hz." + instanceName + ".", options.warmUpRounds());
        log.info("node {} is a member of the cluster; members: {}", nodeName, grid.members());
        return grid;
    }

    /**
     * The grid runs on the Hazelcast that Porthole brings, loaded with Porthole's own classes. The WAR carries it
     * relocated under {@code dev.porthole.grid.hazelcast}, in the jar of Porthole's classes, so that a server with a
     * Hazelcast of its own (Payara's Data Grid, 5.3) cannot come before it; run as compiled (the embedded start, the
     * tests) it is {@code com.hazelcast} beside them on one class path. Classes as compiled, unrelocated, deployed into
     * such a server would run the grid on two versions at once, which fails deep in its start with a missing class or
     * method: this says why at once instead.
     */
    static void requireOwnLibrary(Class<?> ofTheLibrary) {
        ClassLoader library = ofTheLibrary.getClassLoader();
        if (library != Grid.class.getClassLoader()) {
            throw new IllegalStateException("cluster.enabled=true needs the Hazelcast that Porthole brings, but this"
                    + " server gives the web app its own (" + ofTheLibrary.getName() + " from " + library + "):"
                    + " deploy the WAR that the build makes (mvn package), which carries Hazelcast relocated under"
                    + " dev.porthole.grid.hazelcast where no server's copy comes first");
        }
    }

    /** The grid itself, for the shared state built on it. */
    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public List<String> members() {
        List<String> names = new ArrayList<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            names.add(nameOf(member));
        }
        return names;
    }

    /** The ids of the members now: each start of a node has its own. */
    static Set<UUID> memberIds(HazelcastInstance hazelcast) {
        Set<UUID> ids = new HashSet<>();
        hazelcast.getCluster().getMembers().forEach(member -> ids.add(member.getUuid()));
        return ids;
    }

    /** The member whose id is {@code id}, if it is one now. */
    static Optional<Member> member(HazelcastInstance hazelcast, UUID id) {
        return hazelcast.getCluster().getMembers().stream().filter(member -> member.getUuid().equals(id)).findFirst();
    }

    static String nameOf(Member member) {
        String name = member.getAttribute(NODE_ATTRIBUTE);
        return name != null ? name : member.getAddress().toString();
    }

    @Override
    public ProcessLedger processLedger() {
        return ledger;
    }

    @Override
    public void reapDeadNodes(ProcessLedger.Reaper reaper, ProcessLedger.Deaths deaths) {
        ledger.reapDeadNodes(reaper, deaths);
    }

    @Override
    public SharedSecurity security(CredentialEnds ends) {
        return new GridSecurity(hazelcast, new Seeding(hazelcast, nodeName), ends);
    }

    @Override
    public void shareEnvironments(EnvironmentConfig config) {
        new GridEnvironments(hazelcast.getMap("porthole.environments"), config, new Seeding(hazelcast, nodeName));
    }

    /**
     * Hazelcast runs some of its operations on the thread that asks for them, and leaves that thread a reference to
     * its node in a {@code ThreadLocal} it clears only on threads of its own; Tomcat named it as a leak at the stop of
     * a standalone Tomcat. A request thread is renewed by the container after a stop; the thread this clears is the
     * one that started or stops the web app, which is not.
     */
    @Override
    public void releaseCallingThread() {
        NodeEngineThreadLocalContext.destroyNodeEngineReference();
    }

    @Override
    public TerminalDirectory terminals() {
        return new GridTerminals(hazelcast, nodeName);
    }

    /** The hops of a routed agent call, beyond the agent's own answer: two messages between members, and a queue. */
    private static final Duration AGENT_CALL_HOPS = Duration.ofSeconds(5);

    @Override
    public AgentPlaces agentPlaces() {
        return new GridAgentPlaces(hazelcast, nodeName, AGENT_CALL_HOPS);
    }

    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        warmUp.close();
        ledger.close();
        hazelcast.shutdown();
        releaseCallingThread();
        awaitThreadsEnded();
        log.info("node {} left the cluster", nodeName);
    }

    private void awaitThreadsEnded() {
        long deadline = System.nanoTime() + THREAD_END_PATIENCE.toNanos();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!thread.getName().startsWith(threadPrefix)) {
                continue;
            }
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                log.warn("the grid's thread {} still runs {} s after the node left", thread.getName(),
                        THREAD_END_PATIENCE.toSeconds());
            }
        }
    }
}
