package dev.porthole.docker;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The terminal's keystrokes on their way to the engine: a bounded ring of bytes that the socket's message
 * handler writes and the transport's stdin pump reads. A full ring blocks the writer, which stops the container
 * from reading the socket: that is how a large paste is paced by the process instead of piling up in memory.
 * A pipe starts held: the pump gets nothing until {@link #release()}, so that keystrokes typed at once reach a
 * terminal that already has its size.
 */
final class StdinPipe extends InputStream {
    private final byte[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private int head;
    private int size;
    private boolean closed;
    private boolean held = true;

    StdinPipe(int capacity) {
        this.ring = new byte[capacity];
    }

    /** Blocks until every byte is in the ring; fails once the pipe is closed. */
    void write(byte[] bytes) throws IOException {
        int offset = 0;
        lock.lock();
        try {
            while (offset < bytes.length) {
                while (size == ring.length && !closed) {
                    notFull.awaitUninterruptibly();
                }
                if (closed) {
                    throw new IOException("terminal closed");
                }
                int tail = (head + size) % ring.length;
                int n = Math.min(bytes.length - offset, Math.min(ring.length - size, ring.length - tail));
                System.arraycopy(bytes, offset, ring, tail, n);
                size += n;
                offset += n;
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while ((size == 0 || held) && !closed) {
                notEmpty.awaitUninterruptibly();
            }
            if (closed) {
                return -1;
            }
            int n = Math.min(len, Math.min(size, ring.length - head));
            System.arraycopy(ring, head, b, off, n);
            head = (head + n) % ring.length;
            size -= n;
            notFull.signal();
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Lets the pump read what was written so far and everything after. */
    void release() {
        lock.lock();
        try {
            held = false;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream for both sides: the pump sees end of input, a blocked writer fails. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
