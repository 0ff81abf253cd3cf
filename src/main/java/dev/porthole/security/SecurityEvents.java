package dev.porthole.security;

import java.util.Set;

/**
 * What security does that an audit wants to know: sign-ins, failed ones, refused requests, tokens issued and
 * revoked. {@code client} is the client's address; {@code user} is null where nobody is known.
 */
public interface SecurityEvents {
    default void signedIn(String user, String client) {
    }

    default void signInFailed(String user, String client, String reason) {
    }

    default void refused(int status, String method, String path, String user, String client, String reason) {
    }

    default void tokenIssued(String by, String tokenId, String user, Set<String> roles, String client) {
    }

    default void tokenRevoked(String by, String tokenId, String client) {
    }

    /** Tells nobody. */
    SecurityEvents NONE = new SecurityEvents() {
    };
}
