package dev.porthole.api;

import dev.porthole.error.ErrorResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Bounds what a request body can cost before JAX-RS reads it into a String: a declared length over the limit is
 * refused at once, and a chunked body is cut one byte past it, which {@link JsonBodies} then refuses. Every body
 * Porthole takes is a small JSON object.
 */
public final class BodyLimit extends HttpFilter {
    private final int maxBytes;

    public BodyLimit() {
        this(JsonBodies.MAX_BODY_CHARS);
    }

    BodyLimit(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getContentLengthLong() > maxBytes) {
            ErrorResponse.send(response, 400, "request body is larger than " + maxBytes + " bytes");
            return;
        }
        chain.doFilter(new Bounded(request, maxBytes + 1L), response);
    }

    /** A request whose body ends after {@code limit} bytes, whatever the client sends. */
    private static final class Bounded extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream bounded;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (bounded == null) {
                ServletInputStream in = super.getInputStream();
                bounded = new ServletInputStream() {
                    private long left = limit;

                    @Override
                    public int read() throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int b = in.read();
                        if (b >= 0) {
                            left--;
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = in.read(buffer, offset, (int) Math.min(length, left));
                        if (n > 0) {
                            left -= n;
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return left <= 0 || in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return bounded;
        }
    }
}
