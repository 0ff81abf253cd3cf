package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.config.ConfigFile;
import dev.porthole.config.Settings;
import dev.porthole.docker.Environment;
import dev.porthole.docker.EnvironmentAdmin;
import dev.porthole.docker.EnvironmentConfig;
import dev.porthole.docker.Environments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environments shared through the grid: a change on one member reaches the other's file and engines; a late joiner takes them. */
class GridEnvironmentsTest {
    /** Events reach the other member on the grid's own threads: the bound of a wait for them, far above their ms. */
    private static final Duration EVENT = Duration.ofSeconds(10);

    /** A node's configuration: its file and what it runs. */
    private record Node(Path file, Environments environments, EnvironmentConfig config) {
        static Node at(Path file, String... lines) throws Exception {
            Files.writeString(file, String.join("\n", lines) + "\n");
            Settings settings = Settings.load(Optional.of(file), Map.of());
            Environments environments = Environments.fromSettings(settings, Map.of(), Environments.directEngines(settings),
                    UnaryOperator.identity());
            return new Node(file, environments, new EnvironmentConfig(Optional.of(new ConfigFile(file)), Map.of(),
                    environments, settings));
        }

        List<Integer> ids() {
            return environments.all().stream().map(Environment::id).toList();
        }
    }

    private static final String[] TWO = {"environments.1.url=unix:///tmp/one.sock", "environments.2.url=unix:///tmp/two.sock"};

    @Test
    void aRemovalOnOneMemberReachesTheOthersFileAndAMemberThatJoinsLaterTakesTheClusters(@TempDir Path dir) throws Exception {
        List<Grid> members = TestGrids.start(3);
        try {
            Node first = Node.at(dir.resolve("0.properties"), TWO);
            Node second = Node.at(dir.resolve("1.properties"), TWO);
            members.get(0).shareEnvironments(first.config());
            members.get(1).shareEnvironments(second.config());

            new EnvironmentAdmin(first.config(), first.environments()).delete("2");
            awaitIds(second, List.of(1));
            assertFalse(Files.readString(second.file()).contains("environments.2."), Files.readString(second.file()));

            Node late = Node.at(dir.resolve("2.properties"), TWO); // its file still has environment 2
            members.get(2).shareEnvironments(late.config());
            assertEquals(List.of(1), late.ids());
            assertTrue(Files.readString(late.file()).contains("environments.1.url=unix:///tmp/one.sock"));
            assertFalse(Files.readString(late.file()).contains("environments.2."));
        } finally {
            members.forEach(Grid::close);
        }
    }

    private static void awaitIds(Node node, List<Integer> expected) throws InterruptedException {
        long deadline = System.nanoTime() + EVENT.toNanos();
        while (!node.ids().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, node.ids());
    }
}
