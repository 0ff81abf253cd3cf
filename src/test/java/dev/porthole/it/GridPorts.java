package dev.porthole.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for the grid members of a test cluster, below the range the kernel hands out as local ports
 * ({@code ip_local_port_range}). A member that reconnects to a member's port closed meanwhile could otherwise be
 * given a connection to itself (TCP's simultaneous open, when its own local port happens to be that port): Hazelcast
 * logs "Connecting to self!", and a test member's shutdown waited six minutes on it.
 */
public final class GridPorts {
    private static final int LOWEST = 15000;

    private GridPorts() {
    }

    /** {@code count} distinct ports that were free on loopback when asked. */
    public static List<Integer> free(int count) {
        int below = firstLocalPort();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int attempt = 0; held.size() < count; attempt++) {
                if (attempt > 1000) {
                    throw new IllegalStateException("no " + count + " free ports between " + LOWEST + " and " + below);
                }
                try {
                    held.add(new ServerSocket(ThreadLocalRandom.current().nextInt(LOWEST, below), 1,
                            InetAddress.getLoopbackAddress()));
                } catch (IOException taken) {
                    // in use: another one
                }
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
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

    /** The lowest port of the kernel's local port range (Linux), or the IANA range's 49152 elsewhere. */
    private static int firstLocalPort() {
        return (int) KernelSettings.field("net/ipv4/ip_local_port_range", 0).orElse(49152);
    }
}
