package dev.porthole.security;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;
import dev.porthole.error.Problem;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a person in with the servlet container's own authentication ({@link HttpServletRequest#login}, so the
 * realm and its credential handler check the password) and keeps the result in a fresh session.
 */
public final class SignIn {
    private static final Logger log = LoggerFactory.getLogger(SignIn.class);

    private final List<String> knownRoles;
    private final SecurityEvents events;

    /** {@code knownRoles}: every role the realm is asked about, from {@link Roles#all}. */
    SignIn(List<String> knownRoles, SecurityEvents events) {
        this.knownRoles = List.copyOf(knownRoles);
        this.events = events;
    }

    public SignedInUser signIn(HttpServletRequest request, String username, String password) {
        try {
            request.login(username, password);
        } catch (ServletException e) {
            log.info("failed sign-in for user name '{}' from {}", Printable.of(username, 64), request.getRemoteAddr());
            events.signInFailed(username, request.getRemoteAddr(), "wrong user name or password");
            throw new PortholeException(Problem.UNAUTHENTICATED, "wrong user name or password");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String role : knownRoles) {
            if (request.isUserInRole(role)) {
                roles.add(role);
            }
        }
        try {
            // The container's principal was only needed to read the roles; the session carries the user from here.
            request.logout();
        } catch (ServletException e) {
            throw new PortholeException(Problem.INTERNAL, "sign-in failed");
        }
        SignedInUser user = new SignedInUser(username, roles);
        HttpSession session = request.getSession(true);
        request.changeSessionId(); // a session id known before sign-in must not be worth anything after it
        SessionUsers.signIn(session, user);
        log.info("user '{}' signed in from {}", username, request.getRemoteAddr());
        events.signedIn(username, request.getRemoteAddr());
        return user;
    }

    public void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }
}
