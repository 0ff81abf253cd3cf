package dev.porthole.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.docker.ExecStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The selector threads against a loopback socket standing in for the engine: one class, so no engine needed. */
class OutputSelectorsTest {
    private ServerSocketChannel server;
    private SocketChannel engineSide;
    private SocketChannel porthole;
    private final OutputSelectors selectors = new OutputSelectors(1, task -> new Thread(task, "test-output"));
    private final Recorded output = new Recorded();

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        porthole = SocketChannel.open(server.getLocalAddress());
        engineSide = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        selectors.close();
        porthole.close();
        engineSide.close();
        server.close();
    }

    @Test
    void readsAgainOnlyOnceTheClientHasTheLastOutput() throws Exception {
        OutputSelectors.WatchedStream stream = selectors.watchable(new ChannelStream(porthole)).orElseThrow();
        stream.watch(output);
        engine("first");
        Read first = output.reads.poll(5, TimeUnit.SECONDS);
        assertEquals("first", first.text());

        engine("second");
        assertNull(output.reads.poll(300, TimeUnit.MILLISECONDS), "read while the first send was in flight");
        first.sent.run();
        assertEquals("second", output.reads.poll(5, TimeUnit.SECONDS).text());
    }

    @Test
    void outputThatWaitedDuringASendGoesOutAsOneRead() throws Exception {
        selectors.watchable(new ChannelStream(porthole)).orElseThrow().watch(output);
        engine("first");
        Read first = output.reads.poll(5, TimeUnit.SECONDS);
        engine("second");
        Thread.sleep(100);
        engine("third");
        Thread.sleep(100);
        first.sent.run();
        Read waited = output.reads.poll(5, TimeUnit.SECONDS);
        assertEquals("secondthird", waited.text());
        assertEquals("test-output", waited.thread().getName());

        waited.sent.run();
        engine("fourth");
        assertEquals("fourth", output.reads.poll(5, TimeUnit.SECONDS).text());
    }

    @Test
    void sendsThatCompleteWithinTheCallDoNotNestWhileTheStreamPoursOut() throws Exception {
        int total = 64 << 20;
        AtomicLong received = new AtomicLong();
        AtomicInteger deepest = new AtomicInteger();
        CompletableFuture<IOException> end = new CompletableFuture<>();
        selectors.watchable(new ChannelStream(porthole)).orElseThrow().watch(new OutputSelectors.Output() {
            @Override
            public void read(byte[] bytes, Runnable sent) {
                if (received.getAndAdd(bytes.length) == 0) {
                    // The first send completes later, so output piles up and the completing thread reads it...
                    CompletableFuture.runAsync(sent, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
                } else {
                    // ...and each of its sends completes within the call, as on a server that writes inline.
                    deepest.accumulateAndGet(new Throwable().getStackTrace().length, Math::max);
                    sent.run();
                }
            }

            @Override
            public void ended(IOException failure) {
                end.complete(failure);
            }
        });
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        for (long written = 0; written < total; written += chunk.capacity()) {
            chunk.clear();
            while (chunk.hasRemaining()) {
                engineSide.write(chunk);
            }
        }
        engineSide.close();
        assertNull(end.get(30, TimeUnit.SECONDS), "the stream failed");
        assertEquals(total, received.get());
        assertTrue(deepest.get() < 100, "sends nested " + deepest.get() + " frames deep");
    }

    @Test
    void aTerminalWhoseOutputFailsEndsAndTheThreadServesTheOthers() throws Exception {
        CompletableFuture<IOException> end = new CompletableFuture<>();
        selectors.watchable(new ChannelStream(porthole)).orElseThrow().watch(new OutputSelectors.Output() {
            @Override
            public void read(byte[] bytes, Runnable sent) {
                throw new IllegalStateException("a bug");
            }

            @Override
            public void ended(IOException failure) {
                end.complete(failure);
            }
        });
        engine("boom");
        assertTrue(end.get(5, TimeUnit.SECONDS).getMessage().contains("a bug"));

        try (SocketChannel other = SocketChannel.open(server.getLocalAddress());
                SocketChannel otherEngine = server.accept()) {
            selectors.watchable(new ChannelStream(other)).orElseThrow().watch(output);
            otherEngine.write(ByteBuffer.wrap("still here".getBytes(StandardCharsets.UTF_8)));
            assertEquals("still here", output.reads.poll(5, TimeUnit.SECONDS).text());
        }
    }

    @Test
    void endOfTheEngineStreamIsReported() throws Exception {
        selectors.watchable(new ChannelStream(porthole)).orElseThrow().watch(output);
        engine("bye");
        output.reads.poll(5, TimeUnit.SECONDS).sent.run();
        engineSide.close();
        assertEquals("end", output.ends.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void closingTheStreamReleasesItsSocketWithoutOtherTraffic() throws Exception {
        OutputSelectors.WatchedStream stream = selectors.watchable(new ChannelStream(porthole)).orElseThrow();
        stream.watch(output);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!porthole.isRegistered() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(porthole.isRegistered());
        stream.close();
        // A registered channel's socket is closed by its selector, at that selector's next wake-up.
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (porthole.isRegistered() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(porthole.isRegistered(), "the selector still holds the closed socket");
        assertEquals(-1, engineSide.read(ByteBuffer.allocate(16)));
    }

    @Test
    void closedSelectorsStopTheirThreads() throws Exception {
        selectors.close();
        Thread.sleep(50);
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("test-output")));
    }

    @Test
    void withoutThreadsNothingIsWatched() throws IOException {
        try (OutputSelectors none = new OutputSelectors(0, Thread::new)) {
            assertEquals(Optional.empty(), none.watchable(new ChannelStream(porthole)));
        }
        assertTrue(porthole.isBlocking(), "a stream no selector watches keeps blocking reads");
    }

    private void engine(String text) throws IOException {
        engineSide.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private record Read(byte[] bytes, Runnable sent, Thread thread) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static final class Recorded implements OutputSelectors.Output {
        final BlockingQueue<Read> reads = new LinkedBlockingQueue<>();
        final BlockingQueue<String> ends = new LinkedBlockingQueue<>();

        @Override
        public void read(byte[] bytes, Runnable sent) {
            reads.add(new Read(bytes, sent, Thread.currentThread()));
        }

        @Override
        public void ended(IOException failure) {
            ends.add(failure == null ? "end" : failure.toString());
        }
    }

    private static final class ChannelStream implements ExecStream {
        private final SocketChannel channel;

        ChannelStream(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(byte[] buffer) throws IOException {
            return channel.read(ByteBuffer.wrap(buffer));
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            channel.write(ByteBuffer.wrap(bytes));
        }

        @Override
        public Optional<SelectableChannel> nonBlocking() throws IOException {
            channel.configureBlocking(false);
            return Optional.of(channel);
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // test teardown closes it again
            }
        }
    }
}
