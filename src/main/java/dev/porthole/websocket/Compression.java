package dev.porthole.websocket;

import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which terminal sockets compress their frames (permessage-deflate, RFC 7692), decided in the handshake. Every
 * browser offers it and Tomcat accepts any offer; each socket that takes it holds a zlib deflater and inflater in
 * native memory for its life (docs/benchmarks.md, "Compression": 50-85 KiB resident at the prompt, about 290 KiB
 * once output has filled the windows), and spends CPU on every frame, keystroke echoes included. So it is a
 * setting, and when on, at most {@code maxSockets} open sockets have it: a socket opened beyond that is answered
 * without the extension, which every client accepts and which costs it nothing but the compression.
 *
 * <p>The budget counts open compressed sockets, from the endpoint's open to its close, not handshakes: a handshake
 * that fails after it was answered takes no place for ever. Handshakes that run at the same moment may each take
 * the last place, so a burst can pass the budget by the handshakes in flight (the container's request threads).
 */
final class Compression {
    static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private final boolean enabled;
    private final int maxSockets;
    private final AtomicInteger open = new AtomicInteger();

    Compression(boolean enabled, int maxSockets) {
        if (maxSockets < 0) {
            throw new IllegalArgumentException("terminal.compression-max-sockets must be 0 or more, not " + maxSockets);
        }
        this.enabled = enabled;
        this.maxSockets = maxSockets;
    }

    /**
     * {@code negotiated}, the container's own choice among the client's offers, without permessage-deflate when
     * compression is off or its budget is spent. Other extensions (Tomcat installs none) pass as the container chose.
     */
    List<Extension> admit(List<Extension> negotiated) {
        if (enabled && open.get() < maxSockets) {
            return negotiated;
        }
        return negotiated.stream().filter(e -> !PERMESSAGE_DEFLATE.equals(e.getName())).toList();
    }

    /** Counts {@code socket} if its handshake agreed to compress. */
    void opened(Session socket) {
        if (compresses(socket)) {
            open.incrementAndGet();
        }
    }

    /** Gives {@code socket}'s place back; called once per {@link #opened} socket. */
    void closed(Session socket) {
        if (compresses(socket)) {
            open.decrementAndGet();
        }
    }

    /** Open sockets that compress. */
    int compressedSockets() {
        return open.get();
    }

    private static boolean compresses(Session socket) {
        return socket.getNegotiatedExtensions().stream().anyMatch(e -> PERMESSAGE_DEFLATE.equals(e.getName()));
    }

    @Override
    public String toString() {
        return enabled ? "compression on for at most " + maxSockets + " sockets" : "compression off";
    }
}
