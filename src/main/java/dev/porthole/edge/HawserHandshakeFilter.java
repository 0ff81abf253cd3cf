package dev.porthole.edge;

import dev.porthole.error.ErrorResponse;
import dev.porthole.error.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Before the agents' handshake: refuses one with an {@code Origin} header with 403 (no agent sends one; a page that
 * tried would be a cross-site attempt), one from an address (or at a moment) with no place left for sockets without
 * hello with 429 ({@link HelloGate}), and passes the client's address, as the servlet container sees it (after
 * trusted proxies), to the endpoint in a header of its own that replaces any the client sent: the WebSocket API
 * has no other way to tell the endpoint where a connection came from, and failed tokens are counted per address.
 */
public final class HawserHandshakeFilter extends HttpFilter {
    static final String ADDRESS_HEADER = "X-Porthole-Agent-Address";

    private final HelloGate gate;

    HawserHandshakeFilter(HelloGate gate) {
        this.gate = gate;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getHeader("Origin") != null) {
            ErrorResponse.send(response, Problem.FORBIDDEN.httpStatus(), "agents send no Origin: a browser may not connect here");
            return;
        }
        if (gate.full(request.getRemoteAddr())) {
            ErrorResponse.send(response, Problem.TOO_MANY.httpStatus(),
                    "too many agent connections without hello: try again later");
            return;
        }
        chain.doFilter(new WithAddress(request, request.getRemoteAddr()), response);
    }

    private static final class WithAddress extends HttpServletRequestWrapper {
        private final String address;

        WithAddress(HttpServletRequest request, String address) {
            super(request);
            this.address = address;
        }

        @Override
        public String getHeader(String name) {
            return ADDRESS_HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return ADDRESS_HEADER.equalsIgnoreCase(name) ? Collections.enumeration(List.of(address)) : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(ADDRESS_HEADER::equalsIgnoreCase);
            names.add(ADDRESS_HEADER);
            return Collections.enumeration(names);
        }
    }
}
