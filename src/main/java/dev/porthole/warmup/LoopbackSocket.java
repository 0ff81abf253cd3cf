package dev.porthole.warmup;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A terminal socket opened as a browser opens one: the handshake offers permessage-deflate exactly as Chromium
 * does and asks for {@code porthole.binary}; keystrokes go out in masked binary frames; output frames are
 * inflated when the server chose to compress. One thread uses it, the caller's.
 */
final class LoopbackSocket implements AutoCloseable {
    /** RFC 7692: the tail a sender strips from each compressed message, given back before inflating it. */
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final SecureRandom random;
    private final Inflater inflater;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

    private LoopbackSocket(Socket socket, DataInputStream in, SecureRandom random, boolean deflate) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.random = random;
        this.inflater = deflate ? new Inflater(true) : null;
    }

    /** Opens the socket at {@code path} with {@code token}; throws unless the server upgrades it. */
    static LoopbackSocket open(String hostName, int port, String path, String token, int timeoutMillis,
            SecureRandom random) throws IOException {
        Socket socket = new Socket(hostName, port);
        try {
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            byte[] key = new byte[16];
            random.nextBytes(key);
            String host = hostName + ":" + port;
            socket.getOutputStream().write(HttpHead.ascii("GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + host + "\r\n"
                    + "Origin: http://" + host + "\r\n"
                    + "Authorization: Bearer " + token + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                    + "Sec-WebSocket-Protocol: porthole.binary\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            HttpHead head = HttpHead.read(in);
            if (head.status() != 101) {
                throw new IOException("the handshake was answered " + head.status());
            }
            String extensions = head.header("Sec-WebSocket-Extensions");
            return new LoopbackSocket(socket, in, random, extensions != null && extensions.contains("permessage-deflate"));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code bytes} as one binary message, masked as a client must. */
    void send(byte[] bytes) throws IOException {
        sendFrame(BINARY, bytes);
    }

    /**
     * Reads until a data message arrived and answers its payload, inflated if it was compressed; answers pings on
     * the way. Throws {@link EOFException} at a close frame or the end of the stream.
     */
    byte[] receive() throws IOException, DataFormatException {
        message.reset();
        boolean compressed = false;
        boolean first = true;
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            int opcode = b0 & 0x0f;
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = in.readNBytes(Math.toIntExact(length));
            if (opcode == CLOSE) {
                throw new EOFException("the server closed the socket");
            }
            if (opcode == PING) {
                sendFrame(PONG, payload);
                continue;
            }
            if (opcode >= 8) {
                continue; // a pong
            }
            if (first) {
                compressed = (b0 & 0x40) != 0;
                first = false;
            }
            message.write(payload);
            if ((b0 & 0x80) != 0) {
                return compressed ? inflate(message.toByteArray()) : message.toByteArray();
            }
        }
    }

    private byte[] inflate(byte[] compressed) throws DataFormatException {
        inflater.setInput(concat(compressed, DEFLATE_TAIL));
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = inflater.inflate(buffer)) > 0) {
            plain.write(buffer, 0, n);
        }
        return plain.toByteArray();
    }

    private void sendFrame(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xffff) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Sends a normal close and reads until the server's answer, as a page closing its tab would; then drops the connection. */
    @Override
    public void close() throws IOException {
        try {
            sendFrame(CLOSE, new byte[] {0x03, (byte) 0xe8}); // 1000
            while (true) {
                receive();
            }
        } catch (EOFException expected) {
            // the server's close frame, or the end of the stream
        } catch (IOException | DataFormatException e) {
            // the socket is dropped all the same
        } finally {
            if (inflater != null) {
                inflater.end();
            }
            socket.close();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
