package dev.porthole.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;

/**
 * Where a signed-in person is kept between requests: the servlet container's session on a single node
 * ({@link ContainerSessions}), a record in the grid that every node reads in a cluster.
 */
public interface SignedInSessions {
    /** Who the request is signed in as, and with which credential; empty when it carries no live sign-in. */
    Optional<SessionUsers.CredentialPrincipal> find(HttpServletRequest request);

    /**
     * Keeps {@code user}, whose password the realm just accepted, signed in for the requests that follow. A request
     * already signed in as the same user with the same roles keeps its credential (its terminals go on); anyone else
     * gets a new one, and the sign-in before ends as a sign-out.
     */
    void signIn(HttpServletRequest request, HttpServletResponse response, SignedInUser user);

    /** Ends the request's sign-in, if any: everything its credential opened ends, on every node. */
    void signOut(HttpServletRequest request, HttpServletResponse response);
}
