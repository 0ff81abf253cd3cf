package dev.porthole.warmup;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** An HTTP response's head as this client needs it: the status and the headers' values by name. */
record HttpHead(int status, String head) {
    private static final int MAX_HEAD = 16 * 1024;

    /** Reads up to and including the blank line; throws at the end of the stream or on a head too large. */
    static HttpHead read(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection in a response head");
            }
            if (head.length() >= MAX_HEAD) {
                throw new IOException("a response head larger than " + MAX_HEAD + " bytes");
            }
            head.append((char) b);
        }
        String text = head.toString();
        String[] statusLine = text.substring(0, text.indexOf("\r\n")).split(" ", 3);
        return new HttpHead(Integer.parseInt(statusLine[1]), text);
    }

    /** The value of header {@code name}, or null. */
    String header(String name) {
        String wanted = name.toLowerCase(Locale.ROOT) + ":";
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(wanted)) {
                return line.substring(wanted.length()).trim();
            }
        }
        return null;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
