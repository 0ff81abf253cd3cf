package dev.porthole.edge;

import dev.porthole.security.ClientAddresses;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the agent sockets that have not said a good {@code hello} yet, per client address
 * ({@link ClientAddresses#key}) and in all: anyone can open one, and each holds a connection, its buffers and a
 * timer until it authenticates or the hello timeout closes it. A real agent says hello as soon as it connects, so
 * its place is taken for a moment only.
 *
 * <p>{@link #full} is the cheap look before the upgrade; {@link #enter} the exact count after it, since several
 * handshakes can pass the look at once.
 */
final class HelloGate {
    private final int perAddress;
    private final int total;
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConcurrentMap<String, Integer> byAddress = new ConcurrentHashMap<>();

    HelloGate(int perAddress, int total) {
        this.perAddress = perAddress;
        this.total = total;
    }

    /** Whether a socket from {@code address} would be refused now. */
    boolean full(String address) {
        return waiting.get() >= total || byAddress.getOrDefault(ClientAddresses.key(address), 0) >= perAddress;
    }

    /** Takes a place for a socket from {@code address}; false when there is none. Every true is followed by one {@link #leave}. */
    boolean enter(String address) {
        if (waiting.incrementAndGet() > total) {
            waiting.decrementAndGet();
            return false;
        }
        boolean[] entered = new boolean[1];
        byAddress.compute(ClientAddresses.key(address), (key, n) -> {
            int count = n == null ? 0 : n;
            entered[0] = count < perAddress;
            return entered[0] ? count + 1 : n;
        });
        if (!entered[0]) {
            waiting.decrementAndGet();
        }
        return entered[0];
    }

    /** Gives the place back: the socket said a good hello, or closed. */
    void leave(String address) {
        byAddress.computeIfPresent(ClientAddresses.key(address), (key, n) -> n <= 1 ? null : n - 1);
        waiting.decrementAndGet();
    }
}
