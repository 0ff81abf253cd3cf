package dev.porthole.security;

import dev.porthole.wire.SocketPaths;
import dev.porthole.error.ErrorResponse;
import dev.porthole.error.Printable;
import dev.porthole.error.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;

/**
 * Guards everything under {@code /api}, the terminal socket's handshake included: it runs before the
 * container's WebSocket upgrade, so a refused handshake gets a real 401 or 403 and never becomes a socket.
 * A request is signed in by its session cookie or by {@code Authorization: Bearer <API token>}; a request that
 * names a token must name a valid one, and never falls back to its cookie. Every decision is made on the path the
 * container routes ({@link RoutedPath}), never on the client's spelling of it. Every refusal, its own and the
 * 401/403 answers of the services behind it, is reported to {@link SecurityEvents}.
 */
public final class AuthFilter extends HttpFilter {
    /**
     * Paths open without a session or token. The Hawser agents' socket: agents have no session and prove their token
     * in-band. The OpenAPI document: the same published description for every server and user, with nothing of the
     * configuration in it, fetched by tools that carry no credentials.
     */
    private static final Set<String> PUBLIC_PATHS = Set.of("/api/auth/login", "/api/health", SocketPaths.AGENTS,
            "/api/openapi.json", "/api/openapi.yaml");
    private static final String BEARER = "bearer ";

    private final CrossSitePolicy crossSite;
    private final AttachPermission attach;
    private final TokenService tokens;
    private final SignedInSessions sessions;
    private final SecurityEvents events;

    AuthFilter(CrossSitePolicy crossSite, AttachPermission attach, TokenService tokens, SignedInSessions sessions,
            SecurityEvents events) {
        this.crossSite = crossSite;
        this.attach = attach;
        this.tokens = tokens;
        this.sessions = sessions;
        this.events = events;
    }

    /** Whether {@code path} (below the context path, e.g. {@code /api/health}) is open without a session or token. */
    public static boolean isPublic(String path) {
        return PUBLIC_PATHS.contains(path);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = RoutedPath.of(request);
        Optional<CrossSitePolicy.Refusal> crossSiteRefusal = crossSite.check(request);
        if (crossSiteRefusal.isPresent()) {
            refuse(request, response, crossSiteRefusal.get().problem(), crossSiteRefusal.get().message(), null);
            return;
        }
        if (PUBLIC_PATHS.contains(path)) {
            chain.doFilter(request, response);
            return;
        }
        SessionUsers.CredentialPrincipal signedIn;
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            Optional<ApiToken> token = bearer(authorization).flatMap(tokens::find);
            if (token.isEmpty()) {
                refuse(request, response, Problem.UNAUTHENTICATED, "invalid or revoked API token", null);
                return;
            }
            signedIn = new SessionUsers.CredentialPrincipal(token.get().asUser(), SessionUsers.tokenCredential(token.get()));
        } else {
            Optional<SessionUsers.CredentialPrincipal> session = sessions.find(request);
            if (session.isEmpty()) {
                refuse(request, response, Problem.UNAUTHENTICATED, "sign in first", null);
                return;
            }
            signedIn = session.get();
        }
        SignedInUser user = signedIn.user();
        String credential = signedIn.credential();
        // The handshake reads the principal: a sign-in that is not the container's session reaches it only so.
        request = new SignedInRequest(request, signedIn);
        if (RoutedPath.isWebSocketHandshake(request)) {
            // Only the terminal endpoint upgrades under /api here; the agents' socket is public (above).
            Optional<String> execId = AttachPermission.execIdOf(path);
            if (execId.isEmpty()) {
                refuse(request, response, Problem.NOT_FOUND, "no socket at this path", user);
                return;
            }
            if (!attach.permits(request, execId.get(), user, credential)) {
                refuse(request, response, Problem.FORBIDDEN, "you may not open terminals in this environment", user);
                return;
            }
        }
        SessionUsers.let(request, user, credential);
        chain.doFilter(request, response);
        int status = response.getStatus();
        if (status == 401 || status == 403) {
            events.refused(status, request.getMethod(), printable(request), user.name(), request.getRemoteAddr(),
                    "refused by the service");
        }
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization.length() > BEARER.length() && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(authorization.substring(BEARER.length()).trim());
        }
        return Optional.empty();
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Problem problem, String message,
            SignedInUser user) throws IOException {
        events.refused(problem.httpStatus(), request.getMethod(), printable(request), user == null ? null : user.name(),
                request.getRemoteAddr(), message);
        ErrorResponse.send(response, problem.httpStatus(), message);
    }

    /** The path as the client spelled it: an audit of a refused attempt shows what was tried. */
    private static String printable(HttpServletRequest request) {
        return Printable.of(request.getRequestURI().substring(request.getContextPath().length()), 200);
    }

    /** A request let through: its principal carries the user and credential, down to the WebSocket handshake. */
    private static final class SignedInRequest extends HttpServletRequestWrapper {
        private final Principal principal;

        SignedInRequest(HttpServletRequest request, Principal principal) {
            super(request);
            this.principal = principal;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getRemoteUser() {
            return principal.getName();
        }
    }
}
