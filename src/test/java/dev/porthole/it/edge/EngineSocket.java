package dev.porthole.it.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Raw HTTP/1.1 to the test engine's unix socket, as an agent on the engine's host speaks it: one connection per
 * call ({@code Connection: close}), and hijacked connections for terminals.
 */
final class EngineSocket {
    /** A reply: status, the body, and its Content-Type. */
    record Reply(int status, String contentType, byte[] body) {
    }

    /** A hijacked exec connection and the output bytes that came with the upgrade response. */
    record Hijacked(SocketChannel channel, byte[] early) {
    }

    private final Path socket;

    EngineSocket(Path socket) {
        this.socket = socket;
    }

    Reply call(String method, String path, byte[] body) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            write(channel, head(method, path, body, "Connection: close\r\n"), body);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buffer) >= 0) {
                all.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return parse(all.toByteArray());
        }
    }

    Hijacked hijack(String path, byte[] body) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        write(channel, head("POST", path, body, "Connection: Upgrade\r\nUpgrade: tcp\r\n"), body);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!endsWithBlankLine(head.toByteArray())) {
            one.clear();
            if (channel.read(one) < 0) {
                channel.close();
                throw new IOException("engine closed the hijack: " + head);
            }
            head.write(one.array()[0]);
        }
        String status = head.toString(StandardCharsets.ISO_8859_1);
        if (!status.startsWith("HTTP/1.1 101") && !status.startsWith("HTTP/1.1 200")) {
            channel.close();
            throw new IOException("engine refused the hijack: " + status.lines().findFirst().orElse(""));
        }
        return new Hijacked(channel, new byte[0]);
    }

    private static boolean endsWithBlankLine(byte[] b) {
        int n = b.length;
        return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    private static String head(String method, String path, byte[] body, String connection) {
        return method + " " + path + " HTTP/1.1\r\nHost: docker\r\n" + connection
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n") + "\r\n";
    }

    private static void write(SocketChannel channel, String head, byte[] body) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining()) {
            channel.write(out);
        }
        if (body != null) {
            ByteBuffer b = ByteBuffer.wrap(body);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

    private static Reply parse(byte[] all) throws IOException {
        int end = -1;
        for (int i = 0; i + 3 < all.length; i++) {
            if (all[i] == '\r' && all[i + 1] == '\n' && all[i + 2] == '\r' && all[i + 3] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new IOException("no HTTP head from the engine");
        }
        String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        boolean chunked = false;
        String type = "";
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
            if (lower.startsWith("content-type:")) {
                type = line.substring(13).trim();
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        return new Reply(status, type, chunked ? dechunk(body) : body);
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = i;
            while (lineEnd + 1 < body.length && !(body[lineEnd] == '\r' && body[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String sizeText = new String(body, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.write(body, lineEnd + 2, Math.min(size, body.length - lineEnd - 2));
            i = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
