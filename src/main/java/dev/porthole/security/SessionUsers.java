package dev.porthole.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.Optional;

/**
 * Where the signed-in user is kept: one attribute of the HTTP session, and of the request once checked. A request
 * with an API token has no session; its user travels as the request's principal, which the WebSocket handshake
 * also sees.
 *
 * <p>What a request is signed in with is its <em>credential</em>: {@code session:<random>} for an HTTP session (kept
 * in the session, so that it survives the session id changes of a second sign-in), {@code token:<id>} for an API
 * token. Terminals and waiting exec instances belong to a credential, never to a user name, and end with it.
 */
public final class SessionUsers {
    /** The key of the signed-in user, in the HTTP session and wherever else it is handed on (a socket's properties). */
    public static final String ATTRIBUTE = "dev.porthole.user";
    /** The key of the credential, likewise. */
    public static final String CREDENTIAL_ATTRIBUTE = "dev.porthole.credential";
    private static final String SIGNED_OUT_ATTRIBUTE = "dev.porthole.signed-out";
    private static final String TOKEN = "token:";
    private static final String SESSION = "session:";

    private SessionUsers() {
    }

    public static Optional<SignedInUser> of(HttpSession session) {
        return attribute(session, ATTRIBUTE, SignedInUser.class);
    }

    /** The credential of a signed-in session; empty for a session nobody signed in with. */
    public static Optional<String> credentialOf(HttpSession session) {
        return attribute(session, CREDENTIAL_ATTRIBUTE, String.class);
    }

    private static <T> Optional<T> attribute(HttpSession session, String name, Class<T> type) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(type.cast(session.getAttribute(name)));
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }

    /** The user of a handshake: the one the filter let it in with, else the session's. */
    public static Optional<SignedInUser> of(Principal principal, HttpSession session) {
        if (principal instanceof CredentialPrincipal signedIn) {
            return Optional.of(signedIn.user());
        }
        return of(session);
    }

    /** The credential of a handshake, read like {@link #of(Principal, HttpSession)}. */
    public static Optional<String> credentialOf(Principal principal, HttpSession session) {
        if (principal instanceof CredentialPrincipal signedIn) {
            return Optional.of(signedIn.credential());
        }
        return credentialOf(session);
    }

    /** The user the {@link AuthFilter} let through; only requests to public paths have none. */
    public static Optional<SignedInUser> of(HttpServletRequest request) {
        return Optional.ofNullable((SignedInUser) request.getAttribute(ATTRIBUTE));
    }

    /** The credential the {@link AuthFilter} let the request through with: what the terminals it opens belong to. */
    public static String credential(HttpServletRequest request) {
        Object credential = request.getAttribute(CREDENTIAL_ATTRIBUTE);
        if (credential == null) {
            throw new IllegalStateException("AuthFilter let through a request without a credential");
        }
        return (String) credential;
    }

    public static String tokenCredential(ApiToken token) {
        return TOKEN + token.id();
    }

    /** A fresh credential for a session: 128 random bits. */
    public static String newSessionCredential(java.security.SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return SESSION + java.util.HexFormat.of().formatHex(bytes);
    }

    /** The user the {@link AuthFilter} let through; fails for a request it should never have passed. */
    public static SignedInUser require(HttpServletRequest request) {
        return of(request).orElseThrow(() -> new IllegalStateException("AuthFilter let through a request without a user"));
    }

    static void signIn(HttpSession session, SignedInUser user, String credential) {
        session.setAttribute(CREDENTIAL_ATTRIBUTE, credential);
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

    static void let(HttpServletRequest request, SignedInUser user, String credential) {
        request.setAttribute(ATTRIBUTE, user);
        request.setAttribute(CREDENTIAL_ATTRIBUTE, credential);
    }

    /**
     * The principal of a request the {@link AuthFilter} let through: its user and credential, down to the WebSocket
     * handshake, whether they came from a token, the container's session or the grid.
     */
    public record CredentialPrincipal(SignedInUser user, String credential) implements Principal {
        @Override
        public String getName() {
            return user.name();
        }
    }
}
