package dev.porthole.it;

import dev.porthole.cluster.ClusterOptions;
import dev.porthole.cluster.Grid;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Embedded Porthole nodes of one cluster on loopback ports, with Debian's nginx in front (round robin, no
 * stickiness). Each node gets the cluster's settings and {@code extraConfig}.
 */
public final class TestCluster implements AutoCloseable {
    private static final String SECRET_PREFIX = "the-secret-of-the-";
    private final List<TestServer.Running> nodes = new ArrayList<>();
    private final List<Grid> probes = new ArrayList<>();
    private Nginx nginx;
    private String name;
    private List<String> members;

    private TestCluster() {
    }

    /**
     * A member of the cluster's grid in the test's own JVM, which runs no Porthole, for a test to look at the grid's
     * objects: the nodes' own grid is out of the test's reach (the WAR carries it relocated, in the web app's loader).
     * It leaves at {@link #close}.
     */
    public com.hazelcast.core.HazelcastInstance probe() {
        Grid probe = Grid.join(new ClusterOptions(true, members, "127.0.0.1", GridPorts.free(1).get(0), name,
                Optional.of(SECRET_PREFIX + name), Optional.of("probe-" + probes.size())).withWarmUpRounds(0));
        probes.add(probe);
        return probe.hazelcast();
    }

    /** {@code count} nodes named node-0, node-1, ... of the cluster {@code name}, and nginx in front of them. */
    public static TestCluster start(String name, int count, String... extraConfig) throws Exception {
        TestCluster cluster = new TestCluster();
        try {
            List<Integer> gridPorts = GridPorts.free(count);
            cluster.name = name;
            cluster.members = gridPorts.stream().map(port -> "127.0.0.1:" + port).toList();
            String members = String.join(",", cluster.members);
            List<Integer> httpPorts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                List<String> config = new ArrayList<>(List.of(
                        "cluster.enabled=true",
                        "cluster.members=" + members,
                        "cluster.port=" + gridPorts.get(i),
                        "cluster.name=" + name,
                        "cluster.secret=" + SECRET_PREFIX + name,
                        "cluster.node-name=node-" + i,
                        // Tens of seconds of CPU at each join, beside the tests' own timings; GridWarmUpTest tests it.
                        "cluster.warm-up-rounds=0"));
                config.addAll(List.of(extraConfig));
                TestServer.Running node = TestServer.startServerAt("/porthole", config.toArray(String[]::new));
                cluster.nodes.add(node);
                httpPorts.add(URI.create(node.baseUrl()).getPort());
            }
            cluster.nginx = Nginx.start(httpPorts);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    public TestServer.Running node(int index) {
        return nodes.get(index);
    }

    public Nginx nginx() {
        return nginx;
    }

    @Override
    public void close() throws Exception {
        probes.forEach(Grid::close);
        if (nginx != null) {
            nginx.close();
        }
        for (TestServer.Running node : nodes) {
            node.close();
        }
    }
}
