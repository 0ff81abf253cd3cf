package dev.porthole.terminal;

import dev.porthole.docker.ExecStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that read terminals' output from their engine sockets: each watches many sockets with one selector,
 * reads a socket that has output and hands it to its terminal, which sends it without waiting; that socket is read
 * again once the send completed, which is the back-pressure a slow client puts on its process. A waiting terminal
 * costs no thread and no buffer, and an echo on its way out wakes one thread where a blocked virtual read wakes two
 * (the runtime's poller and the reader); Tomcat then reports the send done on a thread of its own, off that way.
 * See docs/benchmarks.md. Streams no selector can watch (TLS, an agent's) keep a terminal thread.
 */
public final class OutputSelectors implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutputSelectors.class);
    /** One read's worth for every terminal of a thread: a read is copied out at its own length. */
    private static final int READ_BUFFER = 64 * 1024;

    private final List<Loop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    /** {@code threads} selector threads; none leaves every terminal to a terminal thread of its own. */
    public OutputSelectors(int threads, ThreadFactory factory) {
        try {
            for (int i = 0; i < threads; i++) {
                Loop loop = new Loop(Selector.open());
                Thread thread = factory.newThread(loop);
                loops.add(loop);
                this.threads.add(thread);
                thread.start();
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    /** What a watched stream's output is for: a terminal. Both run on a selector thread and must not block. */
    interface Output {
        /** Output as read; {@code sent} once the client has it, which reads the stream again; never if it ended. */
        void read(byte[] bytes, Runnable sent);

        /** The stream ended ({@code failure} null), or reading it failed. */
        void ended(IOException failure);
    }

    /**
     * Switches {@code stream} to reads that do not block and answers it ready to be watched; use the answer in
     * place of the stream from then on. Empty when no selector can watch it, or there are no selector threads.
     */
    Optional<WatchedStream> watchable(ExecStream stream) throws IOException {
        if (loops.isEmpty()) {
            return Optional.empty();
        }
        Optional<SelectableChannel> channel = stream.nonBlocking();
        if (channel.isEmpty()) {
            return Optional.empty();
        }
        Loop loop = loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
        return Optional.of(new WatchedStream(stream, channel.get(), loop));
    }

    @Override
    public String toString() {
        return loops.size() + " selector threads";
    }

    /** Stops the threads; the streams they watched are the terminals' to close, which shutdown did first. */
    @Override
    public void close() {
        for (Loop loop : loops) {
            try {
                loop.selector.close();
            } catch (IOException e) {
                log.debug("closing an output selector: {}", e.toString());
            }
        }
        for (Thread thread : threads) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * A stream watched by a selector. Its close wakes that selector, because a selector lets go of a closed
     * channel's socket only at its next wake-up, and a quiet one may sleep for hours.
     */
    static final class WatchedStream implements ExecStream {
        private static final int IDLE = 0;
        private static final int SENDING = 1;
        /** Sending, and output arrived meanwhile: the socket is not watched until the send completes. */
        private static final int HELD = 2;

        private final ExecStream stream;
        private final SelectableChannel channel;
        private final Loop loop;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private Output output;
        private SelectionKey key;

        private WatchedStream(ExecStream stream, SelectableChannel channel, Loop loop) {
            this.stream = stream;
            this.channel = channel;
            this.loop = loop;
        }

        /** Starts reading output for {@code target}; output that came with the start is read at once. */
        void watch(Output target) {
            loop.execute(() -> {
                output = target;
                try {
                    key = channel.register(loop.selector, SelectionKey.OP_READ, this);
                } catch (ClosedChannelException e) {
                    target.ended(e); // the terminal ended while its exec started
                    return;
                }
                readSafely();
            });
        }

        /**
         * On the selector thread. A callback that throws is a bug, not the engine: its terminal ends rather than
         * wait for output forever, and the thread goes on serving the others.
         */
        private void readSafely() {
            try {
                readable();
            } catch (CancelledKeyException e) {
                // the terminal closed its stream meanwhile: it has ended
            } catch (RuntimeException e) {
                log.error("reading a terminal's output failed", e);
                key.cancel();
                output.ended(new IOException("reading the output failed: " + e, e));
            }
        }

        /** On the selector thread. */
        private void readable() {
            if (state.get() == SENDING && state.compareAndSet(SENDING, HELD)) {
                key.interestOps(0); // level-triggered: left on, it would report this socket until the send ends
                return;
            }
            int n;
            try {
                n = stream.read(loop.buffer);
            } catch (IOException e) {
                key.cancel();
                output.ended(e);
                return;
            }
            if (n < 0) {
                key.cancel();
                output.ended(null);
            } else if (n > 0) {
                state.set(SENDING);
                output.read(Arrays.copyOf(loop.buffer, n), this::sent);
            }
        }

        /**
         * On any thread: the client has the last output. Output that waited meanwhile is read at once, not a moment
         * later to gather more into one frame: the engine's socket holds only some 50 KiB, and a stream that fills
         * it stalls its process while it waits (measured: 4 ms of gathering took throughput from 40 to 13 MiB/s).
         */
        private void sent() {
            if (state.getAndSet(IDLE) == HELD) {
                loop.execute(() -> {
                    if (key.isValid()) {
                        key.interestOps(SelectionKey.OP_READ);
                        readSafely(); // output is waiting: it is what held the socket
                    }
                });
            }
        }

        @Override
        public int read(byte[] buffer) throws IOException {
            return stream.read(buffer);
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            stream.write(bytes);
        }

        @Override
        public void endInput() {
            stream.endInput();
        }

        @Override
        public void close() {
            stream.close();
            loop.selector.wakeup();
        }
    }

    /** One selector thread: its tasks (registrations, resumed reads) and the sockets that have output. */
    private static final class Loop implements Runnable {
        private final Selector selector;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final byte[] buffer = new byte[READ_BUFFER];

        Loop(Selector selector) {
            this.selector = selector;
        }

        void execute(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (selector.isOpen()) {
                    selector.select(key -> ((WatchedStream) key.attachment()).readSafely());
                    Runnable task;
                    while ((task = tasks.poll()) != null) {
                        guarded(task);
                    }
                }
            } catch (ClosedSelectorException e) {
                // closed at shutdown
            } catch (IOException e) {
                log.error("an output selector stopped; its terminals get no more output", e);
            }
        }

        /** One terminal's failure must not stop the thread that serves the others. */
        private static void guarded(Runnable work) {
            try {
                work.run();
            } catch (CancelledKeyException e) {
                // the terminal closed its stream meanwhile: it has ended
            } catch (RuntimeException e) {
                log.error("reading a terminal's output failed", e);
            }
        }
    }
}
