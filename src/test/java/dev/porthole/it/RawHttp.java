package dev.porthole.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One request written byte for byte, for request targets the JDK's client would refuse to send: raw NUL,
 * invalid percent-encoding, encoded slashes. HTTP/1.0, so that the answer is not chunked and ends with the
 * connection.
 */
final class RawHttp {
    record Answer(int status, String head, String body) {
    }

    private RawHttp() {
    }

    static Answer send(String baseUrl, String method, String target, Map<String, String> headers, byte[] body) {
        URI base = URI.create(baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.0\r\n")
                    .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                    .append("Connection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            String answer = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String answerHead = split < 0 ? answer : answer.substring(0, split);
            String answerBody = split < 0 ? "" : answer.substring(split + 4);
            return new Answer(Integer.parseInt(answerHead.split(" ")[1]), answerHead, answerBody);
        } catch (IOException e) {
            throw new AssertionError("raw request failed: " + e, e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }
}
