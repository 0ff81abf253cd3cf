package dev.porthole.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import jdk.net.ExtendedSocketOptions;

/**
 * One connection of our own to an engine, for a terminal's stream: blocking reads and writes that may run on two
 * threads at once. A socket or plain TCP is a {@link SocketChannel} (the only way to a unix socket on Java 17);
 * TLS is an {@link SSLSocket}, whose streams allow one reader and one writer at a time.
 */
interface EngineConnection extends Closeable {
    /** Reads into the buffer; -1 at the end of the stream. */
    int read(byte[] buffer, int offset, int length) throws IOException;

    void write(byte[] bytes, int offset, int length) throws IOException;

    /** Half-closes: the engine reads end of stream, and can still write. */
    void shutdownOutput() throws IOException;

    /**
     * Makes reads answer at once, 0 when nothing arrived, and answers the channel a selector can watch for output;
     * writes still return only once every byte was taken. Empty, and still blocking, for TLS.
     */
    default Optional<SelectableChannel> nonBlocking() throws IOException {
        return Optional.empty();
    }

    /**
     * For a connection that may stay quiet for hours (the event stream): TCP probes after 30 s of silence find a
     * peer that vanished without a word (a host gone, a NAT that forgot the connection) within about a minute, and
     * the next read fails. A unix socket has no such failure and no keepalive.
     */
    void keepAlive();

    @Override
    void close();

    /** Connects to the engine of {@code environment}; {@code tls} is its context, null for a plain one. */
    static EngineConnection open(Environment environment, SSLContext tls) throws IOException {
        Duration timeout = environment.connectTimeout();
        if ("socket".equals(environment.type())) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            return connect(channel, UnixDomainSocketAddress.of(environment.url().getPath()));
        }
        InetSocketAddress address = new InetSocketAddress(environment.url().getHost(), environment.port());
        if (tls == null) {
            SocketChannel channel = SocketChannel.open();
            try {
                channel.socket().connect(address, Math.toIntExact(timeout.toMillis()));
                channel.socket().setTcpNoDelay(true); // keystrokes are single bytes: do not hold them back
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return new OfChannel(channel);
        }
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        try {
            socket.connect(address, Math.toIntExact(timeout.toMillis()));
            socket.setTcpNoDelay(true);
            if (!environment.tls().skipVerify()) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
            }
            // The handshake is bounded like a call: an engine that accepts and never answers fails.
            socket.setSoTimeout(Math.toIntExact(environment.readTimeout().toMillis()));
            socket.startHandshake();
            socket.setSoTimeout(0);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return new OfSocket(socket);
    }

    private static EngineConnection connect(SocketChannel channel, java.net.SocketAddress address) throws IOException {
        try {
            channel.connect(address);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new OfChannel(channel);
    }

    /** {@link #keepAlive}: seconds of silence before the first probe, between probes, and probes before the read fails. */
    int KEEPALIVE_IDLE = 30;
    int KEEPALIVE_INTERVAL = 10;
    int KEEPALIVE_PROBES = 3;

    /** How often a write waiting for a full socket to drain checks that the connection is still open. */
    long WRITABLE_CHECK_MILLIS = 500;

    /** Reads and writes on the channel itself: its streams would hold one lock for both directions. */
    final class OfChannel implements EngineConnection {
        private final SocketChannel channel;

        OfChannel(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return channel.read(ByteBuffer.wrap(buffer, offset, length));
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(bytes, offset, length);
            while (out.hasRemaining()) {
                if (channel.write(out) == 0 && !channel.isBlocking()) {
                    awaitWritable();
                }
            }
        }

        /**
         * Waits until the engine takes more keystrokes (a paste larger than the socket's buffer, into a process
         * that reads slowly). Its own selector: the reading one belongs to another thread, and this is rare.
         * Bounded waits, because a channel closed meanwhile does not wake a selector.
         */
        private void awaitWritable() throws IOException {
            try (Selector writable = Selector.open()) {
                channel.register(writable, SelectionKey.OP_WRITE);
                while (writable.select(WRITABLE_CHECK_MILLIS) == 0) {
                    if (!channel.isOpen()) {
                        throw new ClosedChannelException();
                    }
                }
            }
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public Optional<SelectableChannel> nonBlocking() throws IOException {
            channel.configureBlocking(false);
            return Optional.of(channel);
        }

        @Override
        public void keepAlive() {
            if (channel.supportedOptions().contains(StandardSocketOptions.SO_KEEPALIVE)) {
                try {
                    channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                    if (channel.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
                        channel.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE);
                        channel.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL);
                        channel.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_PROBES);
                    }
                } catch (IOException ignored) {
                    // a connection without keepalive still works; only a vanished peer goes unnoticed longer
                }
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do with a connection that fails to close
            }
        }
    }

    final class OfSocket implements EngineConnection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        OfSocket(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return in.read(buffer, offset, length);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            out.flush();
        }

        @Override
        public void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        @Override
        public void keepAlive() {
            try {
                socket.setKeepAlive(true);
                if (socket.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
                    socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE);
                    socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL);
                    socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_PROBES);
                }
            } catch (IOException ignored) {
                // a connection without keepalive still works; only a vanished peer goes unnoticed longer
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do with a connection that fails to close
            }
        }
    }
}
