package dev.porthole.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Proof that an agent has read what was sent to it, from its pongs. The agent reads its socket in order and answers
 * every {@code ping} with a {@code pong}, each on a goroutine of its own, so pongs come back in any order and are all
 * alike. But once it has answered as many pings as were sent up to and including one sent after a message, at least
 * one of its answers is to a ping sent after that message: it has read the message, and started handling it.
 *
 * <p>Every ping to the agent goes through here, so that the count is right, and a message and the ping after it are
 * queued together, so that nothing comes between them. Thread-safe; {@link #answered} runs on the reader thread.
 */
final class PingFences {
    private final Predicate<String> send;
    private final java.util.function.LongFunction<String> ping;
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiting = new TreeMap<>();
    private long sent;
    private long answered;

    /** {@code send} queues a message for the agent (false once closed); {@code ping} makes a ping. */
    PingFences(Predicate<String> send, java.util.function.LongFunction<String> ping) {
        this.send = send;
        this.ping = ping;
    }

    /** A ping for its own sake: the keepalive. */
    synchronized void ping() {
        if (send.test(ping.apply(System.currentTimeMillis()))) {
            sent++;
        }
    }

    /**
     * Queues {@code message} and a ping after it; the answer completes once the agent has read the message, and fails
     * when the connection closes first. Null when the connection is closed already.
     */
    synchronized CompletableFuture<Void> sendFenced(String message) {
        if (!send.test(message) || !send.test(ping.apply(System.currentTimeMillis()))) {
            return null;
        }
        sent++;
        CompletableFuture<Void> read = new CompletableFuture<>();
        if (answered >= sent) {
            read.complete(null);
        } else {
            waiting.computeIfAbsent(sent, k -> new ArrayList<>()).add(read);
        }
        return read;
    }

    /** A pong came. */
    void answered() {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        synchronized (this) {
            answered++;
            Map<Long, List<CompletableFuture<Void>>> reached = waiting.headMap(answered, true);
            reached.values().forEach(done::addAll);
            reached.clear();
        }
        done.forEach(read -> read.complete(null));
    }

    /** The connection closed: nothing will be read any more. */
    void closed(RuntimeException why) {
        List<CompletableFuture<Void>> failed = new ArrayList<>();
        synchronized (this) {
            waiting.values().forEach(failed::addAll);
            waiting.clear();
        }
        failed.forEach(read -> read.completeExceptionally(why));
    }
}
