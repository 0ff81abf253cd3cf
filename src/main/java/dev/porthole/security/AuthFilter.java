package dev.porthole.security;

import dev.porthole.error.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Guards everything under {@code /api}, the terminal socket's handshake included: it runs before the
 * container's WebSocket upgrade, so a refused handshake gets a real 401 or 403 and never becomes a socket.
 */
public final class AuthFilter extends HttpFilter {
    private static final Set<String> PUBLIC_PATHS = Set.of("/api/auth/login", "/api/health");
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final OriginPolicy origins;

    public AuthFilter(OriginPolicy origins) {
        this.origins = origins;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean upgrade = "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
        if ((upgrade || !SAFE_METHODS.contains(request.getMethod())) && !origins.permits(request)) {
            refuse(response, Problem.FORBIDDEN, "cross-origin request refused");
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (PUBLIC_PATHS.contains(path)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<SignedInUser> user = SessionUsers.of(request.getSession(false));
        if (user.isEmpty()) {
            refuse(response, Problem.UNAUTHENTICATED, "sign in first");
            return;
        }
        request.setAttribute(SessionUsers.ATTRIBUTE, user.get());
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, Problem problem, String message) throws IOException {
        response.setStatus(problem.httpStatus());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        // The messages here are constants, so no JSON escaping is needed.
        response.getOutputStream().write(("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
