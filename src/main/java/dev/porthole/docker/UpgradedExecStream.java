package dev.porthole.docker;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A started TTY exec on a connection of its own: {@code POST /exec/{id}/start} with {@code Upgrade: tcp}, after
 * which the connection carries the terminal raw both ways. Keystrokes are written by the caller's thread straight
 * to the socket, so no thread pumps them (docker-java's hijacking transport starts one per stream).
 */
final class UpgradedExecStream implements ExecStream {
    private static final byte[] START_TTY = "{\"Detach\":false,\"Tty\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEAD = 16 * 1024;
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d{1,9})\\s*$");

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

        byte[] buffer = new byte[4096];
        int filled = 0;
        int end;
        while ((end = endOfHead(buffer, filled)) < 0) {
            if (filled == buffer.length) {
                if (buffer.length >= MAX_HEAD) {
                    throw new IOException("the engine's answer has no end of head in " + MAX_HEAD + " bytes");
                }
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int n = connection.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                throw new IOException("the engine closed the connection before answering");
            }
            filled += n;
        }
        String head = new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
        int status = status(head.substring(0, head.indexOf('\r')));
        byte[] rest = Arrays.copyOfRange(buffer, end, filled);
        if (status != 101 && status != 200) {
            throw new Refused(status, message(connection, head, rest));
        }
        return new UpgradedExecStream(connection, rest);
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

    private static int status(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        try {
            return Integer.parseInt(parts[1]);
        } catch (RuntimeException e) {
            throw new IOException("not an HTTP answer from the engine: " + statusLine);
        }
    }

    /** The error body, up to its Content-Length (512 bytes at most); the engine's JSON message if it is one. */
    private static String message(EngineConnection connection, String head, byte[] rest) {
        Matcher length = CONTENT_LENGTH.matcher(head);
        int wanted = Math.min(512, length.find() ? Integer.parseInt(length.group(1)) : rest.length);
        byte[] body = Arrays.copyOf(rest, Math.max(wanted, rest.length));
        int filled = rest.length;
        try {
            while (filled < wanted) {
                int n = connection.read(body, filled, wanted - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
        } catch (IOException e) {
            // keep what arrived
        }
        String text = new String(body, 0, Math.min(filled, 512), StandardCharsets.UTF_8).trim();
        String json = EngineFailures.jsonMessage(text);
        return json != null ? json : text;
    }

    /** The index just past the blank line that ends an HTTP head, or -1. */
    private static int endOfHead(byte[] bytes, int length) {
        for (int i = 3; i < length; i++) {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }
}
