package dev.porthole.edge;

import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Every message to one agent goes through here, one at a time and in order: a WebSocket allows one send at a
 * time, and the agent's reader must see {@code welcome} first. {@link #send} never blocks, so the reader thread
 * can answer a ping while a terminal's paste is on its way. What is queued stays small without a bound of its own:
 * each terminal has at most one message on its way at a time ({@link InputSequencer}), and calls are bounded by
 * {@code edge.max-requests-in-flight}.
 */
final class OutboundQueue {

    private final Session socket;
    private final Executor senders;
    private final Consumer<IOException> onFailure;
    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean closed;

    OutboundQueue(Session socket, Executor senders, Consumer<IOException> onFailure) {
        this.socket = socket;
        this.senders = senders;
        this.onFailure = onFailure;
    }

    /** Queues a message; false once the queue is closed. */
    boolean send(String message) {
        if (closed) {
            return false;
        }
        queue.add(message);
        if (draining.compareAndSet(false, true)) {
            senders.execute(this::drain);
        }
        return true;
    }

    void close() {
        closed = true;
        queue.clear();
    }

    private void drain() {
        try {
            while (true) {
                String next;
                while ((next = queue.poll()) != null) {
                    if (closed) {
                        return;
                    }
                    socket.getBasicRemote().sendText(next);
                }
                draining.set(false);
                // A message queued after the poll above and before the flag fell would be stranded: look again.
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            draining.set(false);
            onFailure.accept(e instanceof IOException io ? io : new IOException(e));
        }
    }
}
