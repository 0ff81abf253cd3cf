package dev.porthole.security;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;
import dev.porthole.error.Problem;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a person in with the servlet container's own authentication ({@link HttpServletRequest#login}, so the
 * realm and its credential handler check the password) and keeps the result in {@link SignedInSessions}. Guessing is
 * slowed down and locked out by a {@link SignInThrottle}; every answer is the same whether the user exists or not.
 *
 * <p>Signing in again on a signed-in session as the same user, with the same roles, keeps its credential: the
 * terminals it opened go on, under the new session id. Anyone else (another user, or other roles) gets a new
 * session, and the old one ends with everything it opened.
 */
public final class SignIn {
    private static final Logger log = LoggerFactory.getLogger(SignIn.class);
    static final String WRONG = "wrong user name or password";

    private final Supplier<List<String>> knownRoles;
    private final SignInThrottle throttle;
    private final SecurityEvents events;
    private final SignedInSessions sessions;

    /** {@code knownRoles}: every role the realm is asked about, from {@link Roles#all}, as the environments are now. */
    SignIn(Supplier<List<String>> knownRoles, SignInThrottle throttle, SecurityEvents events, SignedInSessions sessions) {
        this.knownRoles = knownRoles;
        this.throttle = throttle;
        this.events = events;
        this.sessions = sessions;
    }

    public SignedInUser signIn(HttpServletRequest request, HttpServletResponse response, String username, String password) {
        String client = request.getRemoteAddr();
        SignInThrottle.Attempt attempt = throttle.attempt(username, client);
        Optional<Duration> wait = attempt.refusedFor();
        if (wait.isPresent()) {
            events.signInFailed(username, client, SignInFailure.THROTTLED);
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw new PortholeException(Problem.TOO_MANY,
                    "too many failed sign-ins: try again in " + seconds + (seconds == 1 ? " second" : " seconds"));
        }
        try {
            request.login(username, password);
        } catch (ServletException e) {
            boolean lockedOut = attempt.locksOut();
            if (lockedOut) {
                log.warn("sign-in locked out for user name '{}' or address {} after repeated failures",
                        Printable.of(username, 64), client);
            } else {
                log.info("failed sign-in for user name '{}' from {}", Printable.of(username, 64), client);
            }
            events.signInFailed(username, client, lockedOut ? SignInFailure.LOCKED_OUT : SignInFailure.WRONG_PASSWORD);
            throw new PortholeException(Problem.UNAUTHENTICATED, WRONG);
        } catch (RuntimeException realmFailed) {
            throttle.abandoned(attempt);
            throw realmFailed;
        }
        throttle.succeeded(attempt);
        Set<String> roles = new LinkedHashSet<>();
        for (String role : knownRoles.get()) {
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
        sessions.signIn(request, response, user);
        log.info("user '{}' signed in from {}", username, client);
        events.signedIn(username, client);
        return user;
    }

    public void signOut(HttpServletRequest request, HttpServletResponse response) {
        sessions.signOut(request, response);
    }
}
