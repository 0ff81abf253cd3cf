package dev.porthole.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.it.GridPorts;
import dev.porthole.it.Nginx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Three clustered nodes behind nginx, round robin with no stickiness (deploy/nginx.conf with an upstream), against
 * one node behind the same nginx configuration: the same browser-like client on both, the page's own flow (the
 * create, and the attach with the size, land on whichever nodes nginx picks: round robin, never the same one). The direct column is the single node, so each ratio is what
 * the cluster costs. Each side runs on fresh servers of its own; the sides alternate figure by figure so that a
 * neighbour's burst on the machine falls on both.
 */
final class ClusterFigure {
    static final int NODES = 3;
    /**
     * Terminals each JVM serves before the figures (default 30): the cluster gets this many per node, so that each of
     * its JVMs has run the code as often as the one node has (round robin gives each node a third of the requests).
     */
    private static final int WARM_UP_TERMINALS = Integer.getInteger("bench.warm-up-terminals", 30);
    /** Terminals per side for the time to prompt (default 60): its median moves by a few ms, the figure's margin. */
    private static final int PROMPT_ROUNDS = Integer.getInteger("bench.prompt-rounds", 60);
    private static final int PROMPT_BLOCK = 10;
    /** {@code -Dbench.cluster=prompt}: the time to prompt only, without the echo and the throughput. */
    private static final boolean PROMPT_ONLY = "prompt".equals(System.getProperty("bench.cluster"));

    private ClusterFigure() {
    }

    static void measure(Report report, Scale scale, String engine, ServerJava java, List<String> jvm, Path dir,
            String container) throws Exception {
        List<Integer> gridPorts = GridPorts.free(NODES);
        String members = String.join(",", gridPorts.stream().map(port -> "127.0.0.1:" + port).toList());
        List<ForkedServer> nodes = new ArrayList<>();
        try (ForkedServer single = ForkedServer.start(engine, dir.resolve("single").toAbsolutePath(), java, jvm)) {
            for (int i = 0; i < NODES; i++) {
                nodes.add(ForkedServer.start(engine, dir.resolve("node-" + i).toAbsolutePath(), java, jvm, List.of(
                        "cluster.enabled=true", "cluster.members=" + members, "cluster.port=" + gridPorts.get(i),
                        "cluster.name=bench", "cluster.node-name=node-" + i)));
            }
            if (!"0".equals(System.getenv("PORTHOLE_CLUSTER_WARM_UP_ROUNDS"))) { // the setting, as the nodes read it
                for (ForkedServer node : nodes) {
                    node.awaitGridWarmedUp();
                }
            }
            try (Nginx one = Nginx.start(port(single)); Nginx three = Nginx.start(nodes.stream().map(ClusterFigure::port).toList())) {
                BrowserClient cluster = new BrowserClient(three.baseUrl(), ForkedServer.USER, ForkedServer.PASSWORD,
                        engine, three.certificate());
                BrowserClient alone = new BrowserClient(one.baseUrl(), ForkedServer.USER, ForkedServer.PASSWORD,
                        engine, one.certificate());
                String label = NODES + " nodes | 1 node, through nginx";
                // Warm, both sides alike: the cluster's first terminals would otherwise pay for the first use of the
                // code on three JVMs where one node pays once, and this figure is the cost of the shared state.
                promptTimes(cluster, container, WARM_UP_TERMINALS * NODES);
                promptTimes(alone, container, WARM_UP_TERMINALS);
                Stats[] prompt = interleavedPromptTimes(report, cluster, alone, container, PROMPT_ROUNDS);
                report.add("9. cluster: time to prompt p50 (" + PROMPT_ROUNDS + "), " + label,
                        prompt[0].percentileMillis(50), prompt[1].percentileMillis(50), "ms", "<= 1.10 x one node");
                report.add("9. cluster: time to prompt p99", prompt[0].percentileMillis(99), prompt[1].percentileMillis(99),
                        "ms", "");
                if (PROMPT_ONLY) {
                    report.note("9.: which node served each request: " + spread(three));
                    return;
                }
                Stats[] echo = {cluster.echo("porthole", true, container, scale.keystrokes(), scale.warmUpKeystrokes()),
                        alone.echo("porthole", true, container, scale.keystrokes(), scale.warmUpKeystrokes())};
                report.add("9. cluster: echo p50, " + label, echo[0].percentileMillis(50), echo[1].percentileMillis(50),
                        "ms", "<= 1.10 x one node");
                report.add("9. cluster: echo p99", echo[0].percentileMillis(99), echo[1].percentileMillis(99), "ms",
                        "<= 1.10 x one node");
                double[] mibs = {throughput(cluster, container, scale), throughput(alone, container, scale)};
                report.add("9. cluster: throughput, " + (scale.throughputBytes() >> 20) + " MiB, " + label, mibs[0], mibs[1],
                        "MiB/s", ">= 0.90 x one node");
                report.note("9.: which node served each request: " + spread(three));
            }
        } finally {
            for (ForkedServer node : nodes) {
                node.close();
            }
        }
    }

    /**
     * The two sides' times to prompt, taken in alternating blocks of {@link #PROMPT_BLOCK} terminals, so that a
     * change of the machine's load during the figure falls on both sides alike.
     */
    private static Stats[] interleavedPromptTimes(Report report, BrowserClient cluster, BrowserClient alone,
            String container, int rounds) throws Exception {
        List<Long> clusterTimes = new ArrayList<>();
        List<Long> aloneTimes = new ArrayList<>();
        PromptStages clusterStages = new PromptStages();
        PromptStages aloneStages = new PromptStages();
        for (int done = 0; done < rounds; done += PROMPT_BLOCK) {
            int block = Math.min(PROMPT_BLOCK, rounds - done);
            promptNanos(cluster, container, block, clusterTimes, clusterStages);
            promptNanos(alone, container, block, aloneTimes, aloneStages);
        }
        report.note("9.: time to prompt by stage as the client saw it, p50 ms, " + NODES + " nodes | 1 node: "
                + PromptStages.sideBySide(clusterStages, aloneStages));
        return new Stats[] {new Stats(clusterTimes.stream().mapToLong(Long::longValue).toArray()),
                new Stats(aloneTimes.stream().mapToLong(Long::longValue).toArray())};
    }

    private static void promptNanos(BrowserClient client, String container, int terminals, List<Long> times,
            PromptStages stages) throws Exception {
        JsonNode result = client.run(client.job("prompt").put("container", container).put("rounds", terminals));
        result.get("porthole").forEach(value -> times.add(value.asLong()));
        stages.add(result);
    }

    private static Stats promptTimes(BrowserClient client, String container, int terminals) throws Exception {
        return BrowserClient.stats(client.run(client.job("prompt").put("container", container)
                .put("rounds", terminals)).get("porthole"));
    }

    private static double throughput(BrowserClient client, String container, Scale scale) throws Exception {
        return scale.throughputBytes() / 1048576.0 / client.run(client.job("throughput").put("side", "porthole")
                .put("container", container).put("bytes", scale.throughputBytes())).get("seconds").asDouble();
    }

    /** For each step of the page's flow, how many of its requests each node answered: proof that the steps spread. */
    private static String spread(Nginx nginx) throws IOException {
        List<String> parts = new ArrayList<>();
        for (String step : List.of("exec", "attach")) {
            java.util.Map<String, Long> byNode = nginx.upstreamsEndingWith(step).stream().collect(
                    java.util.stream.Collectors.groupingBy(node -> node, java.util.TreeMap::new,
                            java.util.stream.Collectors.counting()));
            parts.add(step + " " + byNode.values());
        }
        return String.join("; ", parts);
    }

    private static int port(ForkedServer server) {
        return URI.create(server.baseUrl()).getPort();
    }
}
