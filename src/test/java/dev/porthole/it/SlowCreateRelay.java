package dev.porthole.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test engine on a loopback TCP port, with every exec create ({@code POST /containers/{id}/exec}) held for
 * {@code delay} before it goes on, and noted: a test can tell an answer that waited for the engine's create from
 * one that did not, and see whether the engine was asked at all. Everything else passes at once.
 */
final class SlowCreateRelay implements AutoCloseable {
    private static final Pattern EXEC_CREATE = Pattern.compile("^POST (?:/v[0-9.]+)?/containers/([^/ ]+)/exec HTTP/1\\.1",
            Pattern.MULTILINE);

    private final ServerSocketChannel listener;
    private final Path engine;
    private final Duration delay;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final List<String> creates = new CopyOnWriteArrayList<>();

    SlowCreateRelay(Path engine, Duration delay) throws IOException {
        this.engine = engine;
        this.delay = delay;
        this.listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon("test-slow-create-accept", this::accept);
    }

    int port() {
        return listener.socket().getLocalPort();
    }

    /** How many exec creates for {@code container} (as the request named it) reached the relay so far. */
    long createsFor(String container) {
        return creates.stream().filter(container::equals).count();
    }

    private void accept() {
        while (listener.isOpen()) {
            try {
                SocketChannel client = listener.accept();
                SocketChannel server = SocketChannel.open(StandardProtocolFamily.UNIX);
                server.connect(UnixDomainSocketAddress.of(engine));
                synchronized (open) {
                    if (!listener.isOpen()) {
                        client.close();
                        server.close();
                        return;
                    }
                    open.add(client);
                    open.add(server);
                }
                daemon("test-slow-create-up", () -> pump(client, server, true));
                daemon("test-slow-create-down", () -> pump(server, client, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to, boolean requests) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                if (requests && holdExecCreate(buffer)) {
                    Thread.sleep(delay.toMillis());
                }
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

    /** Notes the exec creates that start in these bytes; answers whether there was one. */
    private boolean holdExecCreate(ByteBuffer bytes) {
        String text = StandardCharsets.ISO_8859_1.decode(bytes.duplicate()).toString();
        Matcher m = EXEC_CREATE.matcher(text);
        boolean any = false;
        while (m.find()) {
            creates.add(m.group(1));
            any = true;
        }
        return any;
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
