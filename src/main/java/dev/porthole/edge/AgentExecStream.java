package dev.porthole.edge;

import dev.porthole.docker.AgentGone;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One terminal through an agent, both ways. Output arrives as {@code exec_output} on the connection's reader
 * thread and is kept as bytes (so a character split between two messages is decoded whole by the relay) in a
 * buffer of {@code edge.terminal-buffer-bytes}; the protocol has no flow control, so a client that falls that far
 * behind loses its terminal rather than stall the agent's other terminals. Keystrokes and sizes go through an
 * {@link InputSequencer}, which keeps them in order and holds them until the agent's {@code exec_ready}.
 */
final class AgentExecStream implements EdgeStream, ExecChannel {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentExecStream.class);

    private final String execId;
    private final AgentConnection connection;
    private final HawserMessages messages;
    private final InputSequencer input;
    private final int maxBuffered;
    private final Runnable onClose;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final ArrayDeque<byte[]> output = new ArrayDeque<>();
    private byte[] current;
    private int currentOffset;
    private int buffered;
    private boolean ended;
    private String failure;
    /** Whether the failure is the agent's connection going away. */
    private boolean agentGone;
    private boolean closed;

    AgentExecStream(String execId, AgentConnection connection, HawserMessages messages, InputSequencer input,
            int maxBuffered, Runnable onClose) {
        this.execId = execId;
        this.connection = connection;
        this.messages = messages;
        this.input = input;
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
    @Override
    public boolean connectionOpen() {
        return connection.isOpen();
    }

    @Override
    public synchronized boolean hasEnded() {
        return ended || failure != null || closed;
    }

    @Override
    public void ready() {
        ready.complete(null);
        input.ready();
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
    public void ended(String reason) {
        input.close();
        synchronized (this) {
            ended = true;
            ready.complete(null); // an exec that ended at once (a missing shell) still started
            notifyAll();
        }
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

    private void fail(String reason) {
        input.close();
        synchronized (this) {
            if (failure == null) {
                failure = reason;
            }
            output.clear();
            current = null;
            buffered = 0;
            notifyAll();
        }
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

    /** A part of a client message: it goes out with the rest of the message, see {@link InputSequencer}. */
    @Override
    public void write(byte[] bytes) throws IOException {
        if (hasEnded()) {
            throw new IOException("the terminal's agent stream is closed");
        }
        input.part(bytes);
    }

    @Override
    public void endOfMessage() throws IOException {
        input.endOfMessage();
    }

    @Override
    public void resize(int cols, int rows) {
        input.resize(cols, rows);
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
        input.close();
        if (tell) {
            connection.send(messages.execEnd(execId, "user_closed"));
        }
        connection.unregister(execId);
        onClose.run();
    }
}
