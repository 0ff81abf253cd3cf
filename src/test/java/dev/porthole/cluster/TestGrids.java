package dev.porthole.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** Grids of a few members on loopback ports, in this JVM, for the tests of the shared state; close each member. */
final class TestGrids {
    private TestGrids() {
    }

    static List<Integer> freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            held.forEach(socket -> {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only held to keep the ports apart
                }
            });
        }
    }

    static ClusterOptions options(List<Integer> ports, int index, String name, String secret) {
        List<String> members = ports.stream().map(port -> "127.0.0.1:" + port).toList();
        return new ClusterOptions(true, members, "127.0.0.1", ports.get(index), name, Optional.ofNullable(secret),
                Optional.of("node-" + index));
    }

    /** {@code count} members of one cluster, joined one after the other. */
    static List<Grid> start(int count) {
        List<Integer> ports = freePorts(count);
        return IntStream.range(0, count).mapToObj(i -> Grid.join(options(ports, i, "test", "test-secret"))).toList();
    }
}
