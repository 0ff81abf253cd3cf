package dev.porthole.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP listener on loopback for engines that misbehave. {@link #relayTo} passes bytes to a unix socket, like
 * the engine's own relay, until {@link #close()} cuts every connection at once: an engine that stopped mid-session.
 * {@link #silent()} accepts connections and never answers: an engine that hangs. A {@link Tap} sees every chunk of
 * the requests before it goes on, and may hold it: an engine that is slow at something.
 *
 * <p>Channels, not {@code Channels.newInputStream}: those streams lock the channel for a blocking read, which
 * would hold up the write in the other direction.
 */
final class LoopbackRelay implements AutoCloseable {
    private final ServerSocketChannel listener;
    private final Tap tap;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    /** Sees each chunk of the client's bytes (its position and limit untouched) before the engine gets it. */
    interface Tap {
        void request(ByteBuffer chunk) throws InterruptedException;
    }

    private LoopbackRelay(Path target, Tap tap) throws IOException {
        this.tap = tap;
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon("test-loopback-" + port(), () -> accept(target));
    }

    static LoopbackRelay relayTo(Path unixSocket) throws IOException {
        return new LoopbackRelay(unixSocket, chunk -> { });
    }

    static LoopbackRelay relayTo(Path unixSocket, Tap tap) throws IOException {
        return new LoopbackRelay(unixSocket, tap);
    }

    static LoopbackRelay silent() throws IOException {
        return new LoopbackRelay(null, chunk -> { });
    }

    /** A port on loopback where nothing listens: one that was just free. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int port() {
        return listener.socket().getLocalPort();
    }

    private void accept(Path target) {
        while (listener.isOpen()) {
            try {
                SocketChannel client = listener.accept();
                SocketChannel engine = null;
                if (target != null) {
                    engine = SocketChannel.open(StandardProtocolFamily.UNIX);
                    engine.connect(UnixDomainSocketAddress.of(target));
                }
                // A connection accepted while close() runs must not outlive it: check and register under one lock.
                synchronized (open) {
                    if (!listener.isOpen()) {
                        client.close();
                        if (engine != null) {
                            engine.close();
                        }
                        return;
                    }
                    open.add(client);
                    if (engine != null) {
                        open.add(engine);
                    }
                }
                if (engine != null) {
                    SocketChannel e = engine;
                    daemon("test-loopback-up", () -> pump(client, e, tap));
                    daemon("test-loopback-down", () -> pump(e, client, chunk -> { }));
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(SocketChannel from, SocketChannel to, Tap tap) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                tap.request(buffer);
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException | InterruptedException e) {
            // one side closed: close() takes care of the rest
        }
    }

    private static void daemon(String name, Runnable job) {
        Thread t = new Thread(job, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        synchronized (open) {
            listener.close();
            for (SocketChannel c : open) {
                c.close();
            }
        }
    }
}
