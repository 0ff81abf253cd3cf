package dev.porthole.docker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The far end of {@link EchoEngine}'s exec streams, on one thread and one selector: it answers each stream's start
 * request as an engine does ({@code 101}, then a prompt) and then writes back every byte it reads, as a shell in
 * {@code stty raw -echo; cat} would. Bytes a slow reader has not taken yet wait in that stream's buffer, and the
 * stream is not read meanwhile, which paces the writer as a real process does.
 */
final class EchoLoop implements Runnable {
    static final byte[] UPGRADED = ("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
            + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    static final byte[] PROMPT = "/ # ".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER = 16 * 1024;

    private final ServerSocketChannel server;
    private final Selector selector;
    private volatile boolean stopping;

    EchoLoop(ServerSocketChannel server, Selector selector) throws IOException {
        this.server = server;
        this.selector = selector;
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Runs until {@link #stop}; then closes every stream, its selector and its server socket. */
    @Override
    public void run() {
        try {
            while (!stopping) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            // nothing more can be served: closed below like a stop
        } finally {
            try {
                selector.keys().forEach(EchoLoop::close);
                selector.close();
                server.close();
            } catch (IOException | ClosedSelectorException ignored) {
                // closed already
            }
        }
    }

    /** Makes {@link #run} end: its thread closes what it served, so no stream is closed under its feet. */
    void stop() {
        stopping = true;
        selector.wakeup();
    }

    private void handle(SelectionKey key) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            SocketChannel stream = server.accept();
            if (stream != null) {
                stream.configureBlocking(false);
                stream.register(selector, SelectionKey.OP_READ, new Stream());
            }
            return;
        }
        Stream stream = (Stream) key.attachment();
        SocketChannel channel = (SocketChannel) key.channel();
        try {
            if (key.isWritable() || stream.pending.position() > 0) {
                flush(key, stream, channel);
            }
            if (key.isValid() && key.isReadable() && stream.pending.position() == 0) {
                ByteBuffer in = ByteBuffer.allocate(BUFFER);
                int n = channel.read(in);
                if (n < 0) {
                    close(key); // end of input: cat ends, and the stream with it
                    return;
                }
                in.flip();
                stream.take(in);
                flush(key, stream, channel);
            }
        } catch (IOException | RuntimeException e) {
            close(key); // a stream that fails, or sent no start request an engine would take, ends alone
        }
    }

    /** Writes what waits; while some is left, reads stop and the stream waits to be writable. */
    private static void flush(SelectionKey key, Stream stream, SocketChannel channel) throws IOException {
        stream.pending.flip();
        channel.write(stream.pending);
        stream.pending.compact();
        key.interestOps(stream.pending.position() > 0 ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }

    /** One exec stream: its start request until it is complete, then what is to be echoed. */
    private static final class Stream {
        private final StartRequest start = new StartRequest();
        private ByteBuffer pending = ByteBuffer.allocate(BUFFER);

        void take(ByteBuffer in) {
            if (!start.complete()) {
                start.take(in);
                if (!start.complete()) {
                    return;
                }
                put(ByteBuffer.wrap(UPGRADED));
                put(ByteBuffer.wrap(PROMPT));
            }
            put(in);
        }

        private void put(ByteBuffer bytes) {
            if (pending.remaining() < bytes.remaining()) {
                ByteBuffer larger = ByteBuffer.allocate(pending.position() + bytes.remaining());
                pending.flip();
                larger.put(pending);
                pending = larger;
            }
            pending.put(bytes);
        }
    }
}
