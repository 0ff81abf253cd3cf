package dev.porthole.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One terminal's keystrokes and sizes on their way to its agent, in the order they were made.
 *
 * <p>The agent (v0.2.14) reads each message and handles it on a goroutine of its own, so two messages sent back to
 * back may reach the engine in either order, and the protocol has neither an acknowledgement nor a sequence number.
 * What it does keep whole is one {@code exec_input}: its bytes reach the engine in one write, contiguous. Hence:
 * <ul>
 * <li>a client message (a keystroke, a paste of up to {@code terminal.max-message-bytes}) becomes one
 *     {@code exec_input}, never split;</li>
 * <li>this terminal's messages go out one at a time, the next only once the agent has read the previous one (it
 *     answered a ping sent after it, {@link PingFences}) and then had its settle time ({@link Pace}) to take it to
 *     the engine: time to decode a message that size, and a gap for its goroutine to be scheduled;</li>
 * <li>what the client sends meanwhile is coalesced into the next {@code exec_input}, so that fast typing makes fewer
 *     messages rather than more waiting; a caller waits only while a whole message's worth is still unsent;</li>
 * <li>nothing goes out before {@code exec_ready}: the agent drops input for a session it does not know yet.</li>
 * </ul>
 * What remains is stated in README ("Edge environments"): a goroutine of the agent that has not reached the engine
 * with its message by the end of the settle time, though the agent read the message and answered the ping after it,
 * may be overtaken by the next.
 *
 * <p>Threads: parts arrive on the client's container thread, which also sends when nothing is waiting; otherwise the
 * send happens on {@code senders} once the settle time is over. No lock is held while a message is encoded or sent.
 */
final class InputSequencer {
    /**
     * How long the agent is given, once it has read a message, to take it to the engine before this terminal's next
     * one goes: {@code gap}, plus the message's size at {@code bytesPerSecond} for an {@code exec_input}, or
     * {@code resize} for an {@code exec_resize} (the agent makes a Docker call for it).
     */
    record Pace(Duration gap, long bytesPerSecond, Duration resize) {
        long inputNanos(int chars) {
            return gap.toNanos() + chars * 1_000_000_000L / bytesPerSecond;
        }

        long resizeNanos() {
            return Math.max(gap.toNanos(), resize.toNanos());
        }
    }

    /** Where messages go: the agent connection. */
    interface Sender {
        /**
         * Queues {@code message}; the answer completes once the agent has read it and fails when the connection
         * closes first; null when it is closed already.
         */
        CompletableFuture<Void> sendFenced(String message);
    }

    /**
     * How long to wait for the agent's proof that it read a message before sending the next anyway: far longer than
     * an agent that works takes to answer a ping (milliseconds), so that only one that does not answer pings at all,
     * which no Hawser version does, is met with this.
     */
    private static final long FENCE_PATIENCE_MILLIS = 5000;

    private sealed interface Item permits Keys, Size {
    }

    private static final class Keys implements Item {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    }

    private record Size(int cols, int rows) implements Item {
    }

    private final String execId;
    private final Sender sender;
    private final HawserMessages messages;
    private final Pace pace;
    private final ScheduledExecutorService timer;
    private final Executor senders;
    private final int maxBytes;
    /** The client message whose parts are arriving. */
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();
    private final ArrayDeque<Item> unsent = new ArrayDeque<>();
    private int unsentBytes;
    private boolean ready;
    /** A message is on its way to the agent's socket, or a timer will send the next one: nobody else sends. */
    private boolean busy;
    private long settledAt = System.nanoTime();
    private boolean closed;

    InputSequencer(String execId, Sender sender, HawserMessages messages, Pace pace, ScheduledExecutorService timer,
            Executor senders, int maxBytes) {
        this.execId = execId;
        this.sender = sender;
        this.messages = messages;
        this.pace = pace;
        this.timer = timer;
        this.senders = senders;
        this.maxBytes = maxBytes;
    }

    /** Part of the client message in progress; the caller bounds a message's size. */
    synchronized void part(byte[] bytes) {
        if (!closed) {
            message.writeBytes(bytes);
        }
    }

    /**
     * The client message is complete: it joins the unsent keystrokes, after waiting while they are a whole message's
     * worth already (the client is then ahead of the agent, and its socket is not read meanwhile).
     */
    void endOfMessage() throws IOException {
        synchronized (this) {
            while (!closed && unsentBytes > 0 && unsentBytes + message.size() > maxBytes) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            if (closed) {
                throw new IOException("the terminal's agent stream is closed");
            }
            if (message.size() == 0) {
                return;
            }
            Keys keys = unsent.peekLast() instanceof Keys last && last.bytes.size() + message.size() <= maxBytes
                    ? last : null;
            if (keys == null) {
                keys = new Keys();
                unsent.add(keys);
            }
            unsentBytes += message.size();
            message.writeTo(keys.bytes);
            message.reset();
        }
        pump();
    }

    /** A new size; one not sent yet is replaced, keeping its place after the keystrokes before it. */
    void resize(int cols, int rows) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (unsent.peekLast() instanceof Size) {
                unsent.pollLast();
            }
            unsent.add(new Size(cols, rows));
        }
        pump();
    }

    /** The agent's {@code exec_ready}: what waited may go, sent from a sender thread (this runs on the reader). */
    void ready() {
        synchronized (this) {
            ready = true;
        }
        try {
            senders.execute(this::pump);
        } catch (RejectedExecutionException shuttingDown) {
            close();
        }
    }

    /** Drops what was not sent; later parts and sizes are ignored, and a waiting caller fails. */
    synchronized void close() {
        closed = true;
        unsent.clear();
        unsentBytes = 0;
        message.reset();
        notifyAll();
    }

    /** Sends the oldest unsent item if this terminal's last message has settled, or arranges to once it has. */
    private void pump() {
        Item item;
        synchronized (this) {
            if (closed || !ready || busy || unsent.isEmpty()) {
                return;
            }
            busy = true;
            long wait = settledAt - System.nanoTime();
            if (wait > 0) {
                try {
                    timer.schedule(this::wake, wait, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    busy = false;
                }
                return;
            }
            item = unsent.poll();
            if (item instanceof Keys keys) {
                unsentBytes -= keys.bytes.size();
                notifyAll();
            }
        }
        String text;
        long settle;
        if (item instanceof Keys keys) {
            byte[] bytes = keys.bytes.toByteArray();
            text = messages.execInput(execId, bytes, 0, bytes.length);
            settle = pace.inputNanos(text.length());
        } else {
            Size size = (Size) item;
            text = messages.execResize(execId, size.cols(), size.rows());
            settle = pace.resizeNanos();
        }
        CompletableFuture<Void> read = sender.sendFenced(text);
        if (read == null) {
            close();
            return;
        }
        AtomicBoolean once = new AtomicBoolean();
        Runnable settling = () -> {
            if (once.compareAndSet(false, true)) {
                read(settle);
            }
        };
        read.whenComplete((ok, closedMeanwhile) -> settling.run());
        try {
            ScheduledFuture<?> patience = timer.schedule(settling, FENCE_PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
            read.whenComplete((ok, closedMeanwhile) -> patience.cancel(false));
        } catch (RejectedExecutionException shuttingDown) {
            // the proof alone decides
        }
    }

    /** On the timer: the settle time is over; the send itself runs on a sender thread. */
    private void wake() {
        synchronized (this) {
            busy = false;
        }
        try {
            senders.execute(this::pump);
        } catch (RejectedExecutionException shuttingDown) {
            close();
        }
    }

    /** The agent has read the last message (or it took too long to say so): its settle time starts now. */
    private void read(long settleNanos) {
        synchronized (this) {
            busy = false;
            settledAt = System.nanoTime() + settleNanos;
        }
        try {
            senders.execute(this::pump); // not on the agent connection's reader thread, which completed the fence
        } catch (RejectedExecutionException shuttingDown) {
            close();
        }
    }
}
