package dev.porthole.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Sign-ins kept in the servlet container's own session, for a single node: the session's end (sign-out, expiry) is
 * what ends its credential, through the session listener of the terminals.
 */
final class ContainerSessions implements SignedInSessions {
    private final SecureRandom random = new SecureRandom();

    @Override
    public Optional<SessionUsers.CredentialPrincipal> find(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Optional<SignedInUser> user = SessionUsers.of(session);
        Optional<String> credential = SessionUsers.credentialOf(session);
        if (user.isEmpty() || credential.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SessionUsers.CredentialPrincipal(user.get(), credential.get()));
    }

    @Override
    public void signIn(HttpServletRequest request, HttpServletResponse response, SignedInUser user) {
        HttpSession before = request.getSession(false);
        Optional<SignedInUser> previous = SessionUsers.of(before);
        if (previous.isPresent() && !previous.get().equals(user)) {
            try {
                SessionUsers.signOut(before); // its person left: not an expiry
                before.invalidate(); // what the one before opened ends with its session, and does not pass to this one
            } catch (IllegalStateException endedMeanwhile) {
                // signed out or expired a moment ago: ended already
            }
        }
        HttpSession session = request.getSession(true);
        request.changeSessionId(); // a session id known before sign-in must not be worth anything after it
        String credential = SessionUsers.credentialOf(session).orElseGet(() -> SessionUsers.newSessionCredential(random));
        SessionUsers.signIn(session, user, credential);
    }

    @Override
    public void signOut(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            SessionUsers.signOut(session);
            session.invalidate();
        }
    }
}
