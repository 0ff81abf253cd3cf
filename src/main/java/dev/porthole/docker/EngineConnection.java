package dev.porthole.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

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
                channel.write(out);
            }
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
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
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do with a connection that fails to close
            }
        }
    }
}
