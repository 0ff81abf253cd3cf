package dev.porthole.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket client written by hand on a plain socket, for what real clients cannot be made to do: stop
 * answering pings, as a peer behind a cut network does, or send a handshake whose request target is spelled
 * exactly as given (path parameters, percent-encoded letters, doubled slashes), which URI classes would tidy up.
 */
final class RawSocket implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int status;

    RawSocket(String baseUrl, String path, String cookie) throws IOException {
        this(baseUrl, "/" + path, Map.of("Cookie", cookie));
        if (status != 101) {
            socket.close();
            throw new IOException("handshake refused: " + status);
        }
    }

    private RawSocket(String baseUrl, String target, Map<String, String> headers) throws IOException {
        URI uri = URI.create(baseUrl);
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
                + uri.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String head = readHead();
        status = Integer.parseInt(head.split(" ")[1]);
    }

    /**
     * Sends a handshake for {@code target} (from the server's root, e.g. {@code /api/...}) byte for byte with
     * {@code headers}; the socket stays open whatever the answer, so that the caller reads the status and then
     * either the socket's frames or nothing.
     */
    static RawSocket handshake(String baseUrl, String target, Map<String, String> headers) throws IOException {
        return new RawSocket(baseUrl, target, headers);
    }

    /** The handshake's answer: 101 when the socket was upgraded. */
    int status() {
        return status;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the handshake");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Sends one masked text frame (mask of zeros: the bytes go out as they are). */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("short frames only");
        }
        out.write(new byte[] {(byte) 0x81, (byte) (0x80 | payload.length), 0, 0, 0, 0});
        out.write(payload);
        out.flush();
    }

    /** Reads frames, answering nothing, until a close frame; answers its code and reason. */
    String awaitClose() throws IOException {
        while (true) {
            String event = nextEvent();
            if (event.startsWith("close ")) {
                return event.substring("close ".length());
            }
        }
    }

    /**
     * Reads the next data or close frame, skipping pings: answers {@code "output: <text>"} for data and
     * {@code "close <code> <reason>"} for the close, or {@code "nothing"} when the server sent neither within
     * the socket's timeout.
     */
    String nextEvent() throws IOException {
        while (true) {
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                return "nothing";
            }
            int second = in.read();
            if (first < 0 || second < 0) {
                throw new IOException("connection ended without a close frame");
            }
            long length = second & 0x7f;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            byte[] payload = in.readNBytes((int) length);
            int opcode = first & 0x0f;
            if (opcode == 0x8) {
                int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
                return "close " + code + " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
            }
            if (opcode == 0x1 || opcode == 0x2 || opcode == 0x0) {
                return "output: " + new String(payload, StandardCharsets.UTF_8);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
