package dev.porthole.docker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * A started TTY exec on a connection of its own: {@code POST /exec/{id}/start} with {@code Upgrade: tcp}, after
 * which the connection carries the terminal raw both ways. Keystrokes are written by the caller's thread straight
 * to the socket, so no thread pumps them (docker-java's hijacking transport starts one per stream).
 */
final class UpgradedExecStream implements ExecStream {
    private static final byte[] START_TTY = "{\"Detach\":false,\"Tty\":true}".getBytes(StandardCharsets.US_ASCII);
    /** The most of a refusal's body read for its message. */
    private static final int MAX_MESSAGE = 512;

    private final EngineConnection connection;
    private final Object writeLock = new Object();
    /** Output that arrived with the response head: the first bytes the terminal printed. */
    private byte[] early;

    private UpgradedExecStream(EngineConnection connection, byte[] early) {
        this.connection = connection;
        this.early = early;
    }

    /**
     * Sends the start request and reads the answer's head; anything but {@code 101} (or the {@code 200} of an engine
     * that does not upgrade) is a {@link Refused} with the engine's message.
     */
    static UpgradedExecStream start(EngineConnection connection, String host, String path) throws IOException {
        String request = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "User-Agent: porthole\r\n"
                + "Content-Type: application/json\r\n"
                + "Connection: Upgrade\r\n"
                + "Upgrade: tcp\r\n"
                + "Content-Length: " + START_TTY.length + "\r\n\r\n";
        byte[] requestHead = request.getBytes(StandardCharsets.US_ASCII);
        byte[] both = Arrays.copyOf(requestHead, requestHead.length + START_TTY.length);
        System.arraycopy(START_TTY, 0, both, requestHead.length, START_TTY.length);
        connection.write(both, 0, both.length);

        ResponseHead head = ResponseHead.read(connection);
        if (head.status() != 101 && head.status() != 200) {
            throw new Refused(head.status(), message(head));
        }
        return new UpgradedExecStream(connection, head.buffered());
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        byte[] first = early;
        if (first != null) {
            early = null;
            if (first.length > 0) {
                // The head is read with a small buffer, so what came with it fits the caller's.
                int n = Math.min(first.length, buffer.length);
                System.arraycopy(first, 0, buffer, 0, n);
                if (n < first.length) {
                    early = Arrays.copyOfRange(first, n, first.length);
                }
                return n;
            }
        }
        return connection.read(buffer, 0, buffer.length);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            connection.write(bytes, 0, bytes.length);
        }
    }

    @Override
    public Optional<SelectableChannel> nonBlocking() throws IOException {
        return connection.nonBlocking();
    }

    @Override
    public void endInput() {
        try {
            connection.shutdownOutput(); // not under the write lock: a write blocked on a full pipe must not hold it up
        } catch (IOException | UnsupportedOperationException e) {
            // already closed, or TLS that cannot half-close: the close that follows ends both directions
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    /** The engine answered the start with an error status. */
    static final class Refused extends IOException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * The error body, up to its Content-Length and 512 bytes (without one, what came with the head); the engine's
     * JSON message if it is one.
     */
    private static String message(ResponseHead head) {
        byte[] body = new byte[MAX_MESSAGE];
        int filled = 0;
        try {
            if (head.contentLength() < 0) {
                byte[] rest = head.buffered();
                filled = Math.min(rest.length, MAX_MESSAGE);
                System.arraycopy(rest, 0, body, 0, filled);
            } else {
                int wanted = (int) Math.min(MAX_MESSAGE, head.contentLength());
                InputStream in = head.body();
                int n;
                while (filled < wanted && (n = in.read(body, filled, wanted - filled)) > 0) {
                    filled += n;
                }
            }
        } catch (IOException e) {
            // keep what arrived
        }
        String text = new String(body, 0, filled, StandardCharsets.UTF_8).trim();
        String json = EngineFailures.jsonMessage(text);
        return json != null ? json : text;
    }
}
