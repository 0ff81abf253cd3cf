package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A WebSocket client of the terminal endpoint that records everything it receives. */
public final class TerminalClient implements WebSocket.Listener {
    /** How a socket closed, as the client saw it. */
    public record Closed(int code, String reason) {
    }

    private final StringBuilder output = new StringBuilder();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private WebSocket socket;

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (output) {
            output.append(data);
            output.notifyAll();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(-1, String.valueOf(error)));
    }

    public TerminalClient type(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public TerminalClient typeBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Waits until the output holds {@code needle} and answers the output so far. */
    public String await(String needle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (output.indexOf(needle) < 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || closed.isDone() && output.indexOf(needle) < 0 && left <= 0) {
                    fail("no '" + needle + "' within " + timeout + "; output was:\n" + output);
                }
                try {
                    output.wait(Math.min(left, 50));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return output.toString();
        }
    }

    public String await(String needle) {
        return await(needle, Duration.ofSeconds(10));
    }

    public Closed awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("socket still open after " + timeout + "; output was:\n" + output());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public Closed awaitClose() {
        return awaitClose(Duration.ofSeconds(10));
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close frame, like a network cut. */
    public void abort() {
        socket.abort();
    }

    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(1000, "bye").join();
        }
    }
}
