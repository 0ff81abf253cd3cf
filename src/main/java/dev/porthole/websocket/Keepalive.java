package dev.porthole.websocket;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Keeps terminal sockets alive through proxies and finds a client that vanished without a close: each round pings
 * every attached socket, and ends the terminal of one that left {@code maxMissed} pings unanswered. Pings go out on
 * {@code pingThreads}, at most one per socket at a time, because a send to a dead peer can block until the send
 * timeout; a socket whose keystrokes wait for the terminal's first size skips the round.
 */
final class Keepalive {
    private final Set<WebSocketTerminal> sockets = ConcurrentHashMap.newKeySet();
    private final int maxMissed;
    private final Executor pingThreads;

    Keepalive(int maxMissed, Executor pingThreads) {
        this.maxMissed = maxMissed;
        this.pingThreads = pingThreads;
    }

    /** From the attach on; {@code socket} has its terminal. */
    void add(WebSocketTerminal socket) {
        sockets.add(socket);
    }

    void remove(WebSocketTerminal socket) {
        sockets.remove(socket);
    }

    /** One round over every attached socket. */
    void round() {
        sockets.forEach(this::ping);
    }

    private void ping(WebSocketTerminal socket) {
        if (!socket.startPing()) {
            return;
        }
        pingThreads.execute(() -> {
            try {
                if (socket.unansweredPings() >= maxMissed) {
                    socket.terminal().clientGone("client stopped answering pings");
                } else {
                    socket.ping();
                }
            } catch (IOException | RuntimeException e) {
                socket.terminal().clientGone("client gone");
            } finally {
                socket.pingDone();
            }
        });
    }
}
