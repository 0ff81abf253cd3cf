package dev.porthole.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.Optional;

/**
 * Where the signed-in user is kept: one attribute of the HTTP session, and of the request once checked. A request
 * with an API token has no session; its user travels as the request's principal, which the WebSocket handshake
 * also sees.
 */
public final class SessionUsers {
    static final String ATTRIBUTE = "dev.porthole.user";
    static final String KEY_ATTRIBUTE = "dev.porthole.session-key";
    private static final String SIGNED_OUT_ATTRIBUTE = "dev.porthole.signed-out";

    private SessionUsers() {
    }

    public static Optional<SignedInUser> of(HttpSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((SignedInUser) session.getAttribute(ATTRIBUTE));
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }

    /** The user of a handshake: the token's, if the filter let it in with one, else the session's. */
    public static Optional<SignedInUser> of(Principal principal, HttpSession session) {
        if (principal instanceof TokenPrincipal token) {
            return Optional.of(token.user());
        }
        return of(session);
    }

    /** The user the {@link AuthFilter} let through; only requests to public paths have none. */
    public static Optional<SignedInUser> of(HttpServletRequest request) {
        return Optional.ofNullable((SignedInUser) request.getAttribute(ATTRIBUTE));
    }

    /**
     * What the terminals a request opens belong to, so that they end with it: the HTTP session's id, or
     * {@code token:<id>} for an API token (revoking it ends them).
     */
    public static String sessionKey(HttpServletRequest request) {
        Object key = request.getAttribute(KEY_ATTRIBUTE);
        if (key == null) {
            throw new IllegalStateException("AuthFilter let through a request without a session key");
        }
        return (String) key;
    }

    static String tokenKey(ApiToken token) {
        return "token:" + token.id();
    }

    /** The user the {@link AuthFilter} let through; fails for a request it should never have passed. */
    public static SignedInUser require(HttpServletRequest request) {
        return of(request).orElseThrow(() -> new IllegalStateException("AuthFilter let through a request without a user"));
    }

    static void signIn(HttpSession session, SignedInUser user) {
        session.setAttribute(ATTRIBUTE, user);
    }

    /** Marks a session that ends because its user signed out, so that its end is told apart from an expiry. */
    static void signOut(HttpSession session) {
        session.setAttribute(SIGNED_OUT_ATTRIBUTE, Boolean.TRUE);
    }

    /** Whether a session that is ending ends because its user signed out (else it expired). */
    public static boolean signedOut(HttpSession session) {
        try {
            return Boolean.TRUE.equals(session.getAttribute(SIGNED_OUT_ATTRIBUTE));
        } catch (IllegalStateException invalidated) {
            return false;
        }
    }

    /** The principal of a request authenticated by an API token. */
    record TokenPrincipal(SignedInUser user, String tokenId) implements Principal {
        @Override
        public String getName() {
            return user.name();
        }
    }
}
