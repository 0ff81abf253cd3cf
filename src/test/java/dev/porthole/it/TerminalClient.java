package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket client of the terminal endpoint that records everything it receives: text as it came, the bytes of
 * binary messages as they came, how many messages of each kind, and where each binary message ended.
 */
public final class TerminalClient implements WebSocket.Listener {
    /** How a socket closed, as the client saw it; code -1 for an error, with the error as its reason. */
    public record Closed(int code, String reason) {
        /**
         * Whether the JDK's client lost the server's close to its own pong: it answers each ping on its own, and a
         * ping that arrives just as this client sends its close makes that pong fail with "Output closed", which ends
         * the socket with that error in place of the server's close frame ({@code WebSocketImpl.processPing}, JDK 17
         * to 25; 1 close in 300 against a server pinging every millisecond). The client's race, not the server's.
         */
        public boolean lostToOwnPong() {
            return code == -1 && "java.io.IOException: Output closed".equals(reason);
        }
    }

    private final StringBuilder output = new StringBuilder();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<Integer> binaryEnds = new ArrayList<>();
    private int textMessages;
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
            if (last) {
                textMessages++;
            }
            output.notifyAll();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (output) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            bytes.writeBytes(part);
            if (last) {
                binaryEnds.add(bytes.size());
            }
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

    /**
     * The output as text: text messages as they came, then the bytes of binary messages decoded as UTF-8 all at once
     * (so a character split between two messages is whole here). A socket gets only one kind.
     */
    public String output() {
        synchronized (output) {
            return bytes.size() == 0 ? output.toString() : output + bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** The bytes of every binary message, in order. */
    public byte[] bytes() {
        synchronized (output) {
            return bytes.toByteArray();
        }
    }

    public int textMessages() {
        synchronized (output) {
            return textMessages;
        }
    }

    public int binaryMessages() {
        synchronized (output) {
            return binaryEnds.size();
        }
    }

    /** Where in {@link #bytes} each binary message ended. */
    public List<Integer> binaryMessageEnds() {
        synchronized (output) {
            return List.copyOf(binaryEnds);
        }
    }

    /** Where {@code needle} first occurs in {@code haystack}, or -1. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** What the server answered in {@code Sec-WebSocket-Protocol}; empty when it chose none. */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** Waits until the output holds {@code needle} and answers the output so far. */
    public String await(String needle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            String text;
            while ((text = output()).indexOf(needle) < 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    Closed end = closed.getNow(null);
                    fail("no '" + needle + "' within " + timeout + (end == null ? "" : "; the socket closed with "
                            + end.code() + " " + end.reason()) + "; output was:\n" + text);
                }
                try {
                    output.wait(Math.min(left, 50));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return text;
        }
    }

    /** How much output (text, or binary bytes) has come, and waits until more than {@code than} has. */
    public int awaitMoreThan(int than, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (output.length() + bytes.size() <= than) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail("no output after " + than + " within " + timeout);
                }
                try {
                    output.wait(Math.min(left, 50));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return output.length() + bytes.size();
        }
    }

    /** How much output (text, or binary bytes) has come. */
    public int outputLength() {
        synchronized (output) {
            return output.length() + bytes.size();
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
