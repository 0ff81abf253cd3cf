package dev.porthole.warmup;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Requests to the API on a kept-alive connection, as a page's fetches go: {@code Origin} of the server itself,
 * JSON bodies, an API token. Answers whole bodies, with or without a length (chunked). A connection the server
 * ends (Tomcat's after 100 requests) is replaced by a new one for the next request.
 */
final class LoopbackHttp implements AutoCloseable {
    private final String hostName;
    private final int port;
    private final String host;
    private final String token;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LoopbackHttp(String hostName, int port, String token, int timeoutMillis) {
        this.hostName = hostName;
        this.port = port;
        this.host = hostName + ":" + port;
        this.token = token;
        this.timeoutMillis = timeoutMillis;
    }

    record Response(int status, String body) {
    }

    /** POSTs {@code json} (may be empty) to {@code path} and reads the answer. */
    Response post(String path, String json) throws IOException {
        if (socket == null) {
            socket = new Socket(hostName, port);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(HttpHead.ascii("POST " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Origin: http://" + host + "\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Accept: application/json\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n"));
        out.write(body);
        out.flush();
        HttpHead head = HttpHead.read(in);
        String length = head.header("Content-Length");
        byte[] answer = length != null ? in.readNBytes(Integer.parseInt(length))
                : "chunked".equalsIgnoreCase(head.header("Transfer-Encoding")) ? chunked() : new byte[0];
        if ("close".equalsIgnoreCase(head.header("Connection"))) {
            close();
        }
        return new Response(head.status(), new String(answer, StandardCharsets.UTF_8));
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            int extension = sizeLine.indexOf(';');
            int size = Integer.parseInt((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailers: none expected, none kept
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("the server closed the connection in a chunked body");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
