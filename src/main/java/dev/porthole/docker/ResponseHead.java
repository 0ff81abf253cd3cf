package dev.porthole.docker;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.impl.io.ChunkedInputStream;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.impl.io.IdentityInputStream;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;

/**
 * The head of an engine's answer on a connection of Porthole's own, parsed by httpcore5 (as under docker-java's
 * transport), and what follows it: the body, or for an upgraded connection the bytes that arrived with the head.
 * Each read of the body returns what one read of the connection gave, so a caller is never held past what arrived.
 */
final class ResponseHead {
    private static final int BUFFER = 8 * 1024;
    private static final int MAX_LINE = 8 * 1024;

    private final ClassicHttpResponse response;
    private final SessionInputBufferImpl buffer;
    private final InputStream in;

    private ResponseHead(ClassicHttpResponse response, SessionInputBufferImpl buffer, InputStream in) {
        this.response = response;
        this.buffer = buffer;
        this.in = in;
    }

    /** Reads the head of the answer to a request already written to {@code connection}. */
    static ResponseHead read(EngineConnection connection) throws IOException {
        SessionInputBufferImpl buffer = new SessionInputBufferImpl(BUFFER, MAX_LINE);
        InputStream in = new Input(connection);
        try {
            ClassicHttpResponse response = new DefaultHttpResponseParser().parse(buffer, in);
            if (response == null) {
                throw new IOException("the engine closed the connection before answering");
            }
            return new ResponseHead(response, buffer, in);
        } catch (HttpException e) {
            throw new IOException("the engine's answer is not HTTP: " + e.getMessage(), e);
        }
    }

    int status() {
        return response.getCode();
    }

    String statusLine() {
        return response.getCode() + " " + response.getReasonPhrase();
    }

    /** The body as it arrives: de-chunked when the engine chunks it. */
    InputStream body() {
        Header coding = response.getFirstHeader(HttpHeaders.TRANSFER_ENCODING);
        boolean chunked = coding != null && "chunked".equalsIgnoreCase(coding.getValue().strip());
        return chunked ? new ChunkedInputStream(buffer, in) : new IdentityInputStream(buffer, in);
    }

    /** The declared Content-Length, or -1. */
    long contentLength() {
        Header length = response.getFirstHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.getValue().strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The bytes read past the head and not yet taken: an upgraded connection's first output. */
    byte[] buffered() throws IOException {
        byte[] rest = new byte[buffer.length()];
        int filled = 0;
        while (filled < rest.length) {
            filled += buffer.read(rest, filled, rest.length - filled, in);
        }
        return rest;
    }

    /** The connection as a stream; its one read returns what has arrived. */
    private static final class Input extends InputStream {
        private final EngineConnection connection;

        Input(EngineConnection connection) {
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return length == 0 ? 0 : connection.read(buffer, offset, length);
        }
    }
}
