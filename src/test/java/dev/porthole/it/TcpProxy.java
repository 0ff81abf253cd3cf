package dev.porthole.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP relay in front of the test server, so that a test can cut every connection at once: what a
 * browser sees when a network drops, with no close frame. Threads and sockets end with {@link #close()}.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private volatile int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-proxy");
        t.setDaemon(true);
        return t;
    });

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Link link = new Link(client, new Socket(InetAddress.getLoopbackAddress(), targetPort));
                links.add(link);
                threads.execute(() -> pump(link, link.client, link.server));
                threads.execute(() -> pump(link, link.server, link.client));
            } catch (IOException e) {
                closeQuietly(client); // nothing listens there: the client sees its connection refused, and may retry
            }
        }
    }

    private void pump(Link link, Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            // Read after a cut, the bytes are the peer's answer to it (closing a socket shuts its output down
            // before a blocked read wakes, so the server may already have answered with a close frame): a dropped
            // network delivers nothing more, so neither does this.
            for (int n; (n = in.read(buffer)) >= 0 && !link.cut; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: the other goes too
        } finally {
            link.close();
            links.remove(link);
        }
    }

    /** Sends the connections accepted from now on to {@code port}, as a balancer does once a server died. */
    public void retarget(int port) {
        targetPort = port;
    }

    /** Drops every open connection, as a failing network would; new connections are still accepted. */
    public void cutAll() {
        links.forEach(Link::cut);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
        threads.shutdownNow();
    }

    /** One accepted connection and the one it was relayed to. */
    private static final class Link {
        final Socket client;
        final Socket server;
        volatile boolean cut;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void cut() {
            cut = true; // before either socket closes, so that each pump sees it once its read returns
            close();
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
