package dev.porthole.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Sets the browser's own defences on every answer, before anything else can answer: scripts only from this
 * server and never inline, no framing (clickjacking a terminal would be typing into it), no content sniffing, no
 * referrer. API answers and error answers are also never cached: they carry who is signed in and exec ids.
 */
public final class SecurityHeaders extends HttpFilter {
    /**
     * Styles may be inline because xterm.js sets them from script; scripts may not. {@code connect-src 'self'}
     * covers the page's own {@code ws:}/{@code wss:} socket.
     */
    public static final String DEFAULT_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    /** For an answer that is only an error: it loads nothing and may be framed by nobody. */
    public static final String ERROR_POLICY = "default-src 'none'; frame-ancestors 'none'";

    private final String contentSecurityPolicy;

    SecurityHeaders(String contentSecurityPolicy) {
        this.contentSecurityPolicy = contentSecurityPolicy;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // An error page may come after the answer was reset, so it is defended again, and never cached.
        boolean error = request.getDispatcherType() == DispatcherType.ERROR;
        defend(response, contentSecurityPolicy, error || RoutedPath.isApi(RoutedPath.of(request)));
        chain.doFilter(request, response);
    }

    /** Sets every defence on {@code response}; {@code noStore} forbids caching it. */
    public static void defend(HttpServletResponse response, String contentSecurityPolicy, boolean noStore) {
        response.setHeader("Content-Security-Policy", contentSecurityPolicy);
        response.setHeader("X-Frame-Options", "DENY"); // frame-ancestors for browsers that predate it
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (noStore) {
            response.setHeader("Cache-Control", "no-store");
        }
    }
}
