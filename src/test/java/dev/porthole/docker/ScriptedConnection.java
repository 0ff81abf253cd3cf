package dev.porthole.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/** A connection that answers what the test gave it so far and fails a read beyond it: a read that would block. */
final class ScriptedConnection implements EngineConnection {
    final Deque<byte[]> pending = new ArrayDeque<>();
    final StringBuilder written = new StringBuilder();
    boolean closed;

    void arrive(String text) {
        pending.add(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        byte[] next = pending.poll();
        if (next == null) {
            throw new IOException("would block");
        }
        if (next.length == 0) {
            return -1;
        }
        int n = Math.min(length, next.length);
        System.arraycopy(next, 0, buffer, offset, n);
        if (n < next.length) {
            pending.addFirst(java.util.Arrays.copyOfRange(next, n, next.length));
        }
        return n;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        written.append(new String(bytes, offset, length, StandardCharsets.US_ASCII));
    }

    @Override
    public void shutdownOutput() {
    }

    @Override
    public void keepAlive() {
    }

    @Override
    public void close() {
        closed = true;
    }
}
