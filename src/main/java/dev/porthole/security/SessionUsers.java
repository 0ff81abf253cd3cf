package dev.porthole.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;

/** Where the signed-in user is kept: one attribute of the HTTP session, and of the request once checked. */
public final class SessionUsers {
    static final String ATTRIBUTE = "dev.porthole.user";

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

    /** The user the {@link AuthFilter} let through; only requests to public paths have none. */
    public static Optional<SignedInUser> of(HttpServletRequest request) {
        return Optional.ofNullable((SignedInUser) request.getAttribute(ATTRIBUTE));
    }

    static void signIn(HttpSession session, SignedInUser user) {
        session.setAttribute(ATTRIBUTE, user);
    }
}
