package dev.porthole.security;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;
import dev.porthole.error.Problem;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a person in with the servlet container's own authentication ({@link HttpServletRequest#login}, so the
 * realm and its credential handler check the password) and keeps the result in a fresh session. Guessing is
 * slowed down and locked out by a {@link SignInThrottle}; every answer is the same whether the user exists or not.
 */
public final class SignIn {
    private static final Logger log = LoggerFactory.getLogger(SignIn.class);
    static final String WRONG = "wrong user name or password";

    private final List<String> knownRoles;
    private final SignInThrottle throttle;
    private final SecurityEvents events;

    /** {@code knownRoles}: every role the realm is asked about, from {@link Roles#all}. */
    SignIn(List<String> knownRoles, SignInThrottle throttle, SecurityEvents events) {
        this.knownRoles = List.copyOf(knownRoles);
        this.throttle = throttle;
        this.events = events;
    }

    public SignedInUser signIn(HttpServletRequest request, String username, String password) {
        String client = request.getRemoteAddr();
        Optional<Duration> wait = throttle.waitBefore(username, client);
        if (wait.isPresent()) {
            events.signInFailed(username, client, SignInFailure.THROTTLED);
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw new PortholeException(Problem.TOO_MANY,
                    "too many failed sign-ins: try again in " + seconds + (seconds == 1 ? " second" : " seconds"));
        }
        try {
            request.login(username, password);
        } catch (ServletException e) {
            boolean lockedOut = throttle.failed(username, client);
            if (lockedOut) {
                log.warn("sign-in locked out for user name '{}' or address {} after repeated failures",
                        Printable.of(username, 64), client);
            } else {
                log.info("failed sign-in for user name '{}' from {}", Printable.of(username, 64), client);
            }
            events.signInFailed(username, client, lockedOut ? SignInFailure.LOCKED_OUT : SignInFailure.WRONG_PASSWORD);
            throw new PortholeException(Problem.UNAUTHENTICATED, WRONG);
        }
        throttle.succeeded(username);
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
        log.info("user '{}' signed in from {}", username, client);
        events.signedIn(username, client);
        return user;
    }

    public void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            SessionUsers.signOut(session);
            session.invalidate();
        }
    }
}
