package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.porthole.cluster.ClusterOptions;
import dev.porthole.cluster.Grid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The embedded start's warm-up: the server it leaves behind is the one a start without it gives, with nothing of
 * the warm-up left: no port, no thread, no environment, no audit record, no count, no token. A warm-up that cannot
 * finish does not keep the server from starting. A node of a cluster warms up too, and its grid hears of none of
 * the warm-up's terminals.
 */
class WarmUpIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The id the warm-up's environment takes when no configured one has it. */
    private static final String WARM_UP_ENV_ID = "999999999";
    /** The grid's maps of terminals, of the counts behind the limits, and of processes to end if a node dies. */
    private static final String TERMINALS = "porthole.terminals";
    private static final String COUNTS = "porthole.terminal-counts";
    private static final String PROCESSES = "porthole.running-processes";

    @Test
    void aWarmedUpServerServesTerminalsAndKeepsNothingOfItsWarmUp() throws Exception {
        Set<Integer> portsBefore = listeningPorts();
        Set<String> threadsBefore = threadNames();
        try (LogCapture log = new LogCapture();
                TestServer.Running server = TestServer.startWarmingUp(Duration.ofMinutes(2))) {
            log.await(line -> line.contains("warmed up in"), Duration.ofSeconds(1));

            Set<Integer> newPorts = new HashSet<>(listeningPorts());
            newPorts.removeAll(portsBefore);
            assertEquals(Set.of(java.net.URI.create(server.baseUrl()).getPort()), newPorts, "listening after the start, beside the server's own port");
            assertFalse(Files.readString(Path.of("/proc/net/unix")).contains("porthole-echo-"),
                    "the warm-up engine's socket is still there");
            Set<String> started = new HashSet<>(threadNames());
            started.removeAll(threadsBefore);
            assertEquals(List.of(), started.stream().filter(name -> name.contains("warm-up")).toList());
            // Tomcat names a connector's threads after it (http-nio-ADDRESS-auto-N-Poller, ...): one connector's are left.
            Set<String> connectors = started.stream().filter(name -> name.startsWith("http-nio-"))
                    .map(name -> name.replaceFirst("^(http-nio-.*-auto-[0-9]+)-.*$", "$1")).collect(Collectors.toSet());
            assertEquals(1, connectors.size(), "threads of more than the public connector: " + started);

            ApiClient admin = server.signedIn("admin");
            ApiClient.Response environments = admin.get("api/environments");
            assertEquals(200, environments.status(), environments.body());
            List<String> ids = new ArrayList<>();
            environments.json().forEach(e -> ids.add(e.get("id").asText()));
            assertEquals(List.of("1", "2", "3"), ids, environments.body());
            assertFalse(environments.body().contains("warm-up"), environments.body());
            ApiClient.Response tokens = admin.get("api/tokens");
            assertEquals(200, tokens.status(), tokens.body());
            assertEquals(0, tokens.json().size(), tokens.body());

            String metrics = admin.get("api/metrics").body();
            assertFalse(metrics.contains(WARM_UP_ENV_ID), metrics);
            assertEquals(List.of(), countedTerminalActivity(metrics), "terminal metrics counted the warm-up");

            // The server works as one started without a warm-up: a real terminal on the real engine, audited.
            String execId = oneTerminal(server);
            List<JsonNode> records = awaitAuditRecord(server, execId, "terminal-end");
            for (JsonNode record : records) {
                assertFalse(record.toString().contains(WARM_UP_ENV_ID), record.toString());
                assertFalse(record.toString().contains("porthole-warm-up"), record.toString());
            }
        }
    }

    @Test
    void aWarmUpThatCannotFinishInItsTimeIsStoppedAndTheServerStartsAllTheSame() throws Exception {
        Set<Integer> portsBefore = listeningPorts();
        try (LogCapture log = new LogCapture();
                TestServer.Running server = TestServer.startWarmingUp(Duration.ofMillis(1))) {
            log.await(line -> line.contains("the warm-up stopped") && line.contains("server.warm-up-timeout"),
                    Duration.ofSeconds(1));
            Set<Integer> newPorts = new HashSet<>(listeningPorts());
            newPorts.removeAll(portsBefore);
            assertEquals(Set.of(java.net.URI.create(server.baseUrl()).getPort()), newPorts);
            assertTrue(threadNames().stream().noneMatch(name -> name.contains("warm-up")), threadNames().toString());
            ApiClient admin = server.signedIn("admin");
            assertFalse(admin.get("api/environments").body().contains(WARM_UP_ENV_ID));

            TerminalClient terminal = server.signedIn("alice").terminal("ph-busybox");
            terminal.type("echo cold-$((40+2))\n");
            terminal.await("cold-42");
            terminal.type("exit\n");
            terminal.awaitClose();
        }
    }

    @Test
    void aClusterNodeWarmsUpAndTheGridHearsOfNoneOfItsTerminals() throws Exception {
        List<Integer> ports = GridPorts.free(2);
        List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        String secret = "the-secret-of-warm-up-it";
        Grid probe = Grid.join(new ClusterOptions(true, members, "127.0.0.1", ports.get(0), "warm-up-it",
                Optional.of(secret), Optional.of("probe")).withWarmUpRounds(0));
        try {
            GridChanges changes = new GridChanges(probe.hazelcast(), TERMINALS, COUNTS, PROCESSES);
            try (LogCapture log = new LogCapture();
                    TestServer.Running server = TestServer.startWarmingUp(Duration.ofMinutes(2), "cluster.enabled=true",
                            "cluster.members=" + String.join(",", members), "cluster.port=" + ports.get(1),
                            "cluster.name=warm-up-it", "cluster.secret=" + secret, "cluster.node-name=node-0",
                            "cluster.warm-up-rounds=0")) {
                log.await(line -> line.contains("warmed up in"), Duration.ofSeconds(1));
                assertEquals(2, probe.hazelcast().getCluster().getMembers().size(), "the node is not in the probe's grid");

                // One person's terminal after it: the grid hears of that one, so it would have heard of the warm-up's.
                String execId = oneTerminal(server);
                changes.await(PROCESSES + " removed " + execId, Duration.ofSeconds(20));
                changes.await(TERMINALS + " removed " + execId, Duration.ofSeconds(20));
                List<String> seen = changes.all();
                assertEquals(Set.of(execId), seen.stream().filter(c -> !c.startsWith(COUNTS))
                        .map(c -> c.substring(c.lastIndexOf(' ') + 1)).collect(Collectors.toSet()), seen.toString());
                // Its reservation, its attach and its end: a warm-up counted in the grid would be hundreds more.
                assertEquals(3, seen.stream().filter(c -> c.startsWith(COUNTS)).count(), seen.toString());
            }
        } finally {
            probe.close();
        }
    }

    /** Every change of some grid maps, as "map change key", in the order the probe hears of them. */
    private static final class GridChanges implements EntryAddedListener<Object, Object>,
            EntryUpdatedListener<Object, Object>, EntryRemovedListener<Object, Object> {
        private final List<String> changes = new CopyOnWriteArrayList<>();

        GridChanges(HazelcastInstance grid, String... maps) {
            for (String map : maps) {
                grid.getMap(map).addEntryListener(this, false);
            }
        }

        @Override
        public void entryAdded(EntryEvent<Object, Object> event) {
            changes.add(event.getName() + " added " + event.getKey());
        }

        @Override
        public void entryUpdated(EntryEvent<Object, Object> event) {
            changes.add(event.getName() + " updated " + event.getKey());
        }

        @Override
        public void entryRemoved(EntryEvent<Object, Object> event) {
            changes.add(event.getName() + " removed " + event.getKey());
        }

        List<String> all() {
            return List.copyOf(changes);
        }

        void await(String change, Duration patience) throws InterruptedException {
            long deadline = System.nanoTime() + patience.toNanos();
            while (!changes.contains(change)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no \"" + change + "\" within " + patience + " among " + changes);
                }
                Thread.sleep(20);
            }
        }
    }

    /** One terminal of alice's on the real engine, from its create to its shell's exit; answers its exec id. */
    private static String oneTerminal(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        String execId = alice.createExec("ph-busybox", null);
        TerminalClient terminal = alice.attach(execId, "envId=1");
        terminal.type("echo warm-$((40+2))\n");
        terminal.await("warm-42");
        terminal.type("exit\n");
        terminal.awaitClose();
        return execId;
    }

    /** The samples of terminal and exec counters that are not zero. */
    private static List<String> countedTerminalActivity(String metrics) {
        return metrics.lines().filter(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith("porthole_terminal") || line.startsWith("porthole_exec"))
                .filter(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) != 0)
                .toList();
    }

    private static List<JsonNode> awaitAuditRecord(TestServer.Running server, String execId, String event)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<JsonNode> records = new ArrayList<>();
            for (String line : Files.readAllLines(server.auditFile(), StandardCharsets.UTF_8)) {
                records.add(JSON.readTree(line));
            }
            if (records.stream().anyMatch(r -> r.path("event").asText().equals(event)
                    && r.path("execId").asText().equals(execId))) {
                return records;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + event + " record of " + execId + " in " + records);
            }
            Thread.sleep(50);
        }
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    /** The TCP ports this JVM listens on: its sockets (by inode) among the system's listening ones. */
    private static Set<Integer> listeningPorts() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed while listed
                }
            }
        }
        Set<Integer> ports = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                    String local = fields[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }
}
