package dev.porthole.bench;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 connection to the engine's unix socket on a plain JDK {@link SocketChannel}: the direct path that
 * every figure is compared with. Nothing of Porthole or docker-java is in it. The same client also talks to
 * Porthole over TCP ({@code http://host:port}) where a figure must compare like with like (exec create). Reads and writes go to the channel
 * itself, never through {@code Channels.newInputStream}, whose streams share one lock for both directions.
 */
final class EngineSocket implements AutoCloseable {
    private final SocketChannel channel;
    /** Bytes read past the last response head, in read mode. */
    private final ByteBuffer pending = ByteBuffer.allocate(64 * 1024).flip();

    EngineSocket(String dockerHost) throws IOException {
        URI uri = URI.create(dockerHost);
        if ("http".equals(uri.getScheme())) {
            channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // as the JDK's HTTP client sets it
            return;
        }
        if (!"unix".equals(uri.getScheme())) {
            throw new IOException("the direct path needs a unix:// DOCKER_HOST, not " + dockerHost);
        }
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(uri.getPath()));
    }

    /** A response: status, head, and body (empty for a 101). */
    record Response(int status, String head, String body) {
    }

    /** Sends a JSON POST and reads the answer; a 101 leaves the connection as the raw stream. */
    Response post(String path, String json, boolean upgrade) throws IOException {
        return send("POST", path, json, upgrade ? "Connection: Upgrade\r\nUpgrade: tcp\r\n" : "");
    }

    /**
     * Sends a request ({@code json} null for none) with {@code headers} (each ending in CRLF) and reads the answer;
     * a 101 leaves the connection as the raw stream.
     */
    Response send(String method, String path, String json, String headers) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                + headers + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        write(ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body).flip());
        String responseHead = readHead();
        int status = Integer.parseInt(responseHead.substring(9, 12));
        if (status == 101 || status == 204) {
            return new Response(status, responseHead, "");
        }
        return new Response(status, responseHead, readBody(responseHead));
    }

    void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Reads raw stream bytes after an upgrade; -1 at the end. */
    int read(ByteBuffer into) throws IOException {
        if (pending.hasRemaining()) {
            int n = Math.min(pending.remaining(), into.remaining());
            into.put(pending.slice(pending.position(), n));
            pending.position(pending.position() + n);
            return n;
        }
        return channel.read(into);
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        // Only the last four characters are looked at: a search of the whole head for every byte cost ~0.1 ms
        // on Porthole's 450-byte heads (its security headers), which the engine's short heads did not pay.
        int n = 0;
        while (n < 4 || head.charAt(n - 4) != '\r' || head.charAt(n - 3) != '\n' || head.charAt(n - 2) != '\r'
                || head.charAt(n - 1) != '\n') {
            head.append((char) nextByte());
            n++;
        }
        return head.toString();
    }

    private String readBody(String head) throws IOException {
        String lower = head.toLowerCase();
        StringBuilder body = new StringBuilder();
        int at = lower.indexOf("content-length:");
        if (at >= 0) {
            int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
            for (int i = 0; i < length; i++) {
                body.append((char) nextByte());
            }
        } else if (lower.contains("transfer-encoding: chunked")) {
            int size;
            while ((size = Integer.parseInt(line().trim(), 16)) > 0) {
                for (int i = 0; i < size; i++) {
                    body.append((char) nextByte());
                }
                line();
            }
            line();
        }
        return body.toString();
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = nextByte()) != '\n') {
            line.append((char) b);
        }
        return line.toString();
    }

    private int nextByte() throws IOException {
        if (!pending.hasRemaining()) {
            pending.clear();
            int n = channel.read(pending);
            pending.flip();
            if (n < 0) {
                throw new EOFException("the engine closed the connection");
            }
        }
        return pending.get() & 0xff;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do about a failed close of a benchmark connection
        }
    }
}
