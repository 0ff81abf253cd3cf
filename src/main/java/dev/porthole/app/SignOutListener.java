package dev.porthole.app;

import dev.porthole.security.SessionUsers;
import dev.porthole.terminal.Ending;
import dev.porthole.terminal.Terminals;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

/**
 * Ends the terminals of a session when it is invalidated (sign-out, or a sign-in as someone else) or times out.
 * They are found by the session's credential, which its id changes do not touch.
 */
final class SignOutListener implements HttpSessionListener {
    private final Terminals terminals;

    SignOutListener(Terminals terminals) {
        this.terminals = terminals;
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        HttpSession session = event.getSession();
        Ending why = SessionUsers.signedOut(session) ? Ending.SIGNED_OUT : Ending.SESSION_EXPIRED;
        SessionUsers.credentialOf(session).ifPresent(credential -> terminals.endAllOf(credential, why));
    }
}
