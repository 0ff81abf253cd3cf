package dev.porthole.security;

import java.util.Set;

/**
 * What security does that an audit wants to know: sign-ins, failed ones, refused requests, tokens issued and
 * revoked. {@code client} is the client's address; {@code user} is null where nobody is known.
 */
public interface SecurityEvents {
    default void signedIn(String user, String client) {
    }

    default void signInFailed(String user, String client, SignInFailure failure) {
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

    /** Tells {@code first}, then {@code second}. */
    static SecurityEvents both(SecurityEvents first, SecurityEvents second) {
        return new SecurityEvents() {
            @Override
            public void signedIn(String user, String client) {
                first.signedIn(user, client);
                second.signedIn(user, client);
            }

            @Override
            public void signInFailed(String user, String client, SignInFailure failure) {
                first.signInFailed(user, client, failure);
                second.signInFailed(user, client, failure);
            }

            @Override
            public void refused(int status, String method, String path, String user, String client, String reason) {
                first.refused(status, method, path, user, client, reason);
                second.refused(status, method, path, user, client, reason);
            }

            @Override
            public void tokenIssued(String by, String tokenId, String user, Set<String> roles, String client) {
                first.tokenIssued(by, tokenId, user, roles, client);
                second.tokenIssued(by, tokenId, user, roles, client);
            }

            @Override
            public void tokenRevoked(String by, String tokenId, String client) {
                first.tokenRevoked(by, tokenId, client);
                second.tokenRevoked(by, tokenId, client);
            }
        };
    }
}
