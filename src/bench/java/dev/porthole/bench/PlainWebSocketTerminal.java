package dev.porthole.bench;

import dev.porthole.wire.Subprotocols;
import dev.porthole.wire.Utf8StreamDecoder;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.net.SocketFactory;

/**
 * A terminal through Porthole on a plain blocking WebSocket client: one socket, a reader thread blocked in
 * {@code read}, frames written by the typing thread. It is the same kind of client as the direct terminal's, so
 * that the two halves of a figure differ by Porthole and not by the client: the JDK's WebSocket client hands every
 * message between its selector thread and an executor, which on two busy cores is a tail of its own. (A browser's
 * socket is native code with no such hand-off.) The JDK client stays the benchmark's main client elsewhere.
 */
final class PlainWebSocketTerminal implements BenchTerminal {
    private static final Pattern SUBPROTOCOL_ANSWER = Pattern.compile(
            "(?im)^Sec-WebSocket-Protocol:\\s*" + Pattern.quote(Subprotocols.BINARY) + "\\s*$");

    private final Socket socket;
    private final OutputStream out;
    private final Output output = new Output();
    private final Object pauseLock = new Object();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean paused;
    private volatile boolean closed;

    private PlainWebSocketTerminal(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /** Opens {@code ws://…/api/containers/exec/{execId}/attach?envId=1} with the session cookie. */
    static PlainWebSocketTerminal attach(String baseUrl, String sessionCookie, String execId) throws IOException {
        return attach(baseUrl, sessionCookie, execId, SocketFactory.getDefault());
    }

    /** The same through {@code sockets}: an {@code SSLSocketFactory} makes it {@code wss://}. */
    static PlainWebSocketTerminal attach(String baseUrl, String sessionCookie, String execId, SocketFactory sockets)
            throws IOException {
        URI base = URI.create(baseUrl);
        Socket socket = sockets.createSocket(base.getHost(), base.getPort());
        socket.setTcpNoDelay(true);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String request = "GET " + base.getPath() + "api/containers/exec/" + execId + "/attach?envId=1 HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + Subprotocols.BINARY + "\r\n"
                + "Cookie: " + sessionCookie + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("handshake refused: " + head.substring(0, head.indexOf("\r\n")));
        }
        // A server that did not agree would send text frames: the figure would measure something else.
        if (!SUBPROTOCOL_ANSWER.matcher(head).find()) {
            socket.close();
            throw new IOException("the server did not answer subprotocol " + Subprotocols.BINARY + ": " + head);
        }
        PlainWebSocketTerminal terminal = new PlainWebSocketTerminal(socket);
        Thread reader = new Thread(() -> terminal.read(new DataInputStream(in)), "plain-ws-reader");
        reader.setDaemon(true);
        reader.start();
        return terminal;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /**
     * Reads frames until the close: output goes to the output, decoded as one UTF-8 stream since a binary frame may
     * end inside a character; pings are answered.
     */
    private void read(DataInputStream in) {
        Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        byte[] payload = new byte[64 * 1024];
        try {
            while (!closed) {
                awaitResume();
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                if (length > payload.length) {
                    payload = new byte[(int) length];
                }
                in.readFully(payload, 0, (int) length);
                int opcode = b0 & 0x0f;
                if (opcode == 0x1 || opcode == 0x0 || opcode == 0x2) {
                    output.append(decoder.decode(payload, 0, (int) length));
                } else if (opcode == 0x9) {
                    frame(0xA, payload, (int) length);
                } else if (opcode == 0x8) {
                    closed = true;
                }
            }
        } catch (IOException e) {
            closed = true;
        }
    }

    private void awaitResume() {
        synchronized (pauseLock) {
            while (paused && !closed) {
                try {
                    pauseLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Writes one masked frame, as a client must. */
    private void frame(int opcode, byte[] data, int length) throws IOException {
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
        byte[] frame = new byte[header + 4 + length];
        frame[0] = (byte) (0x80 | opcode);
        if (length < 126) {
            frame[1] = (byte) (0x80 | length);
        } else if (length < 65536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (length >> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) length >> (56 - 8 * i));
            }
        }
        System.arraycopy(mask, 0, frame, header, 4);
        for (int i = 0; i < length; i++) {
            frame[header + 4 + i] = (byte) (data[i] ^ mask[i & 3]);
        }
        synchronized (out) {
            out.write(frame);
            out.flush();
        }
    }

    @Override
    public Output output() {
        return output;
    }

    @Override
    public void type(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        frame(0x1, bytes, bytes.length);
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    @Override
    public void close() {
        try {
            frame(0x8, new byte[] {0x03, (byte) 0xe8}, 2);
        } catch (IOException ignored) {
            // already gone
        }
        closed = true;
        resume();
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
