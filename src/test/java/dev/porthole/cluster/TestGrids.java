package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.it.GridPorts;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/** Grids of a few members on loopback ports, in this JVM, for the tests of the shared state; close each member. */
final class TestGrids {
    private TestGrids() {
    }

    static ClusterOptions options(List<Integer> ports, int index, String name, String secret) {
        List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        return new ClusterOptions(true, members, "127.0.0.1", ports.get(index), name, Optional.ofNullable(secret),
                Optional.of("node-" + index)).withWarmUpRounds(0);
    }

    /** {@code count} members of one cluster, joined one after the other. */
    static List<Grid> start(int count) {
        List<Integer> ports = GridPorts.free(count);
        return IntStream.range(0, count).mapToObj(i -> Grid.join(options(ports, i, "test", "test-secret"))).toList();
    }

    /** Waits until {@code condition} holds, failing with {@code what} once {@code patience} has passed. */
    static void awaitTrue(BooleanSupplier condition, Duration patience, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " not within " + patience.toMillis() + " ms");
            Thread.sleep(50);
        }
    }
}
