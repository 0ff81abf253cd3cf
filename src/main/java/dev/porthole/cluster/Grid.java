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
import com.hazelcast.spi.properties.ClusterProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.porthole.docker.EnvironmentConfig;
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

    private final HazelcastInstance hazelcast;
    private final String nodeName;
    private final String threadPrefix;
    private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

    private Grid(HazelcastInstance hazelcast, String nodeName, String threadPrefix) {
        this.hazelcast = hazelcast;
        this.nodeName = nodeName;
        this.threadPrefix = threadPrefix;
    }

    /** Starts this node's member and joins the others that answer; answers once it is a member (alone if none answers). */
    public static Grid join(ClusterOptions options) {
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
        // Read and changed only by entry processors on the member that owns it: kept as objects there, not re-read
        // from bytes at each create, attach and end.
        config.getMapConfig(GridTerminals.COUNTS).setInMemoryFormat(InMemoryFormat.OBJECT);
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
        Grid grid = new Grid(hazelcast, nodeName, "hz." + instanceName + ".");
        log.info("node {} is a member of the cluster; members: {}", nodeName, grid.members());
        return grid;
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
            String name = member.getAttribute(NODE_ATTRIBUTE);
            names.add(name != null ? name : member.getAddress().toString());
        }
        return names;
    }

    @Override
    public SharedSecurity security(CredentialEnds ends) {
        return new GridSecurity(hazelcast, new Seeding(hazelcast, nodeName), ends);
    }

    @Override
    public void shareEnvironments(EnvironmentConfig config) {
        new GridEnvironments(hazelcast.getMap("porthole.environments"), config, new Seeding(hazelcast, nodeName));
    }

    @Override
    public TerminalDirectory terminals() {
        return new GridTerminals(hazelcast, nodeName);
    }

    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        hazelcast.shutdown();
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
