package dev.porthole.it;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Embedded Porthole nodes of one cluster on loopback ports, with Debian's nginx in front (round robin, no
 * stickiness). Each node gets the cluster's settings and {@code extraConfig}.
 */
public final class TestCluster implements AutoCloseable {
    private final List<TestServer.Running> nodes = new ArrayList<>();
    private Nginx nginx;

    private TestCluster() {
    }

    /** {@code count} nodes named node-0, node-1, ... of the cluster {@code name}, and nginx in front of them. */
    public static TestCluster start(String name, int count, String... extraConfig) throws Exception {
        TestCluster cluster = new TestCluster();
        try {
            List<Integer> gridPorts = GridPorts.free(count);
            String members = String.join(",", gridPorts.stream().map(port -> "127.0.0.1:" + port).toList());
            List<Integer> httpPorts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                List<String> config = new ArrayList<>(List.of(
                        "cluster.enabled=true",
                        "cluster.members=" + members,
                        "cluster.port=" + gridPorts.get(i),
                        "cluster.name=" + name,
                        "cluster.secret=the-secret-of-the-" + name,
                        "cluster.node-name=node-" + i));
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
        if (nginx != null) {
            nginx.close();
        }
        for (TestServer.Running node : nodes) {
            node.close();
        }
    }
}
