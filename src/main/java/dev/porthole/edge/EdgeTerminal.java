package dev.porthole.edge;

import dev.porthole.docker.AgentGone;
import dev.porthole.docker.ExecStream;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One terminal through an agent, both ways. Output arrives as {@code exec_output} on the connection's reader
 * thread and is kept as bytes (so a character split between two messages is decoded whole by the relay) in a
 * buffer of {@code edge.terminal-buffer-bytes}; the protocol has no flow control, so a client that falls that far
 * behind loses its terminal rather than stall the agent's other terminals. Keystrokes and sizes sent before the
 * agent's {@code exec_ready} are held and sent after it in order, since the agent drops them after ~500 ms.
 */
final class EdgeTerminal implements ExecStream, ExecChannel {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EdgeTerminal.class);
    /** Raw keystroke bytes per {@code exec_input}; a paste goes out in pieces this big. */
    private static final int INPUT_CHUNK = 32 * 1024;
    /**
     * The agent handles each message in a goroutine of its own, so two inputs sent back to back may reach the
     * shell swapped; a short gap between consecutive ones makes that unlikely without slowing typing.
     */
    private static final long INPUT_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final String execId;
    private final AgentConnection connection;
    private final HawserMessages messages;
    private final int maxBuffered;
    private final Runnable onClose;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final ArrayDeque<byte[]> output = new ArrayDeque<>();
    private final List<String> held = new ArrayList<>();
    private byte[] current;
    private int currentOffset;
    private int buffered;
    private boolean ended;
    private String failure;
    /** Whether the failure is the agent's connection going away. */
    private boolean agentGone;
    private boolean closed;
    private long lastInputNanos;

    EdgeTerminal(String execId, AgentConnection connection, HawserMessages messages, int maxBuffered, Runnable onClose) {
        this.execId = execId;
        this.connection = connection;
        this.messages = messages;
        this.maxBuffered = maxBuffered;
        this.onClose = onClose;
    }

    /** Waits for {@code exec_ready}; throws what the agent said when it could not start the exec. */
    void awaitReady(Duration timeout) {
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new PortholeException(Problem.ENGINE_UNREACHABLE, "the " + connection.describe()
                    + " did not start the terminal within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PortholeException p ? p
                    : new PortholeException(Problem.ENGINE_FAILED, e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortholeException(Problem.INTERNAL, "interrupted");
        }
    }

    /** Whether the agent connection this terminal runs on is still open. */
    boolean connectionOpen() {
        return connection.isOpen();
    }

    synchronized boolean hasEnded() {
        return ended || failure != null || closed;
    }

    @Override
    public void ready() {
        List<String> flush;
        synchronized (this) {
            ready.complete(null);
            flush = new ArrayList<>(held);
            held.clear();
        }
        flush.forEach(connection::send);
    }

    @Override
    public synchronized void output(byte[] bytes) {
        if (ended || failure != null || bytes.length == 0) {
            return;
        }
        if (buffered + bytes.length > maxBuffered) {
            log.info("terminal {} through the {} is cut off: its client is more than {} bytes behind", execId,
                    connection.describe(), maxBuffered);
            fail("the terminal's client read too slowly: more than " + maxBuffered
                    + " bytes of output waited (edge.terminal-buffer-bytes)");
            connection.send(messages.execEnd(execId, "user_closed"));
            return;
        }
        output.add(bytes);
        buffered += bytes.length;
        notifyAll();
    }

    @Override
    public synchronized void ended(String reason) {
        ended = true;
        ready.complete(null); // an exec that ended at once (a missing shell) still started
        notifyAll();
    }

    @Override
    public void failed(String error, String code) {
        ready.completeExceptionally(new PortholeException(Problem.ENGINE_FAILED, "the " + connection.describe()
                + " could not start the terminal: " + error + (code.isEmpty() ? "" : " (" + code + ")")));
        fail(error);
    }

    @Override
    public void disconnected(String reason) {
        ready.completeExceptionally(new PortholeException(Problem.ENGINE_UNREACHABLE, reason));
        synchronized (this) {
            agentGone = failure == null;
            fail(reason);
        }
    }

    private synchronized void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        output.clear();
        current = null;
        buffered = 0;
        notifyAll();
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        synchronized (this) {
            while (current == null && output.isEmpty() && !ended && failure == null && !closed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            if (failure != null) {
                throw agentGone ? new AgentGone(failure) : new IOException(failure);
            }
            if (current == null) {
                current = output.poll();
                currentOffset = 0;
            }
            if (current == null) {
                return -1; // ended or closed, and everything before it was read
            }
            int n = Math.min(buffer.length, current.length - currentOffset);
            System.arraycopy(current, currentOffset, buffer, 0, n);
            currentOffset += n;
            buffered -= n;
            if (currentOffset == current.length) {
                current = null;
            }
            return n;
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        for (int offset = 0; offset < bytes.length; offset += INPUT_CHUNK) {
            int length = Math.min(INPUT_CHUNK, bytes.length - offset);
            String message = messages.execInput(execId, bytes, offset, length);
            try {
                if (!connection.awaitRoom()) {
                    throw new IOException("the agent connection closed");
                }
                pace();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
            sendOrHold(message);
        }
    }

    private void pace() throws InterruptedException {
        long wait = lastInputNanos + INPUT_GAP_NANOS - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        lastInputNanos = System.nanoTime();
    }

    void resize(int cols, int rows) {
        sendOrHold(messages.execResize(execId, cols, rows));
    }

    private void sendOrHold(String message) {
        synchronized (this) {
            if (closed || ended || failure != null) {
                return;
            }
            if (!ready.isDone()) {
                held.add(message);
                return;
            }
        }
        connection.send(message);
    }

    /** Drops the stream; the agent is told, though that does not end the shell (the reaper does). */
    @Override
    public void close() {
        boolean tell;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            tell = !ended && failure == null;
            notifyAll();
        }
        if (tell) {
            connection.send(messages.execEnd(execId, "user_closed"));
        }
        connection.unregister(execId);
        onClose.run();
    }
}
