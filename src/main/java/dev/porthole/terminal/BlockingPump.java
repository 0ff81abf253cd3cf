package dev.porthole.terminal;

import dev.porthole.docker.ExecStream;
import java.io.IOException;

/**
 * Copies a stream no selector can watch (TLS, an agent's) to the client on the calling terminal thread, for the life of
 * the terminal: each read is sent with a blocking send, so a slow client stops the reading of its engine stream.
 */
final class BlockingPump {
    /** A waiting terminal holds the smallest buffer; one that streams grows it to read more per frame. */
    static final int MIN_READ_BUFFER = 2 * 1024;
    static final int MAX_READ_BUFFER = 64 * 1024;

    private BlockingPump() {
    }

    /** Copies until the stream ends or fails, then tells {@code listener}. */
    static void run(ExecStream stream, TerminalSink client, PumpListener listener) {
        IOException failure = null;
        try {
            byte[] buffer = new byte[MIN_READ_BUFFER];
            int n;
            while ((n = stream.read(buffer)) != -1) {
                if (listener.read(buffer, n)) {
                    send(client, buffer, n);
                }
                buffer = resized(buffer, n);
            }
        } catch (IOException e) {
            failure = e;
        }
        listener.ended(failure);
    }

    private static void send(TerminalSink client, byte[] bytes, int length) throws ClientGone {
        try {
            client.output(bytes, 0, length);
        } catch (IOException | RuntimeException e) {
            throw new ClientGone(e);
        }
    }

    /**
     * A full read doubles the buffer: output is streaming, and fewer, larger frames cost less per byte. A read of
     * less than an eighth of it goes back to the smallest, so that a terminal that waits for input holds little.
     */
    static byte[] resized(byte[] buffer, int read) {
        if (read == buffer.length && buffer.length < MAX_READ_BUFFER) {
            return new byte[buffer.length * 2];
        }
        if (read < buffer.length / 8 && buffer.length > MIN_READ_BUFFER) {
            return new byte[MIN_READ_BUFFER];
        }
        return buffer;
    }
}
