package dev.porthole.security;

import dev.porthole.error.Printable;
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
 * Every refusal, its own and the 401/403 answers of the services behind it, is reported to {@link SecurityEvents}.
 */
public final class AuthFilter extends HttpFilter {
    private static final Set<String> PUBLIC_PATHS = Set.of("/api/auth/login", "/api/health");

    private final CrossSitePolicy crossSite;
    private final AttachPermission attach;
    private final SecurityEvents events;

    AuthFilter(CrossSitePolicy crossSite, AttachPermission attach, SecurityEvents events) {
        this.crossSite = crossSite;
        this.attach = attach;
        this.events = events;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Optional<CrossSitePolicy.Refusal> crossSiteRefusal = crossSite.check(request);
        if (crossSiteRefusal.isPresent()) {
            refuse(request, response, crossSiteRefusal.get().problem(), crossSiteRefusal.get().message(), null);
            return;
        }
        if (PUBLIC_PATHS.contains(path)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<SignedInUser> user = SessionUsers.of(request.getSession(false));
        if (user.isEmpty()) {
            refuse(request, response, Problem.UNAUTHENTICATED, "sign in first", null);
            return;
        }
        if (AttachPermission.isAttach(path) && !attach.permits(request, user.get())) {
            refuse(request, response, Problem.FORBIDDEN, "you may not open terminals in this environment", user.get());
            return;
        }
        request.setAttribute(SessionUsers.ATTRIBUTE, user.get());
        chain.doFilter(request, response);
        int status = response.getStatus();
        if (status == 401 || status == 403) {
            events.refused(status, request.getMethod(), printable(path), user.get().name(), request.getRemoteAddr(),
                    "refused by the service");
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Problem problem, String message,
            SignedInUser user) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        events.refused(problem.httpStatus(), request.getMethod(), printable(path), user == null ? null : user.name(),
                request.getRemoteAddr(), message);
        response.setStatus(problem.httpStatus());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        // The messages here are constants, so no JSON escaping is needed.
        response.getOutputStream().write(("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static String printable(String path) {
        return Printable.of(path, 200);
    }
}
