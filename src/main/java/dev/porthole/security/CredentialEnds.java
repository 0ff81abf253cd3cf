package dev.porthole.security;

/** Ends what a credential opened on this node (its terminals, its waiting exec instances), for the reason given. */
@FunctionalInterface
public interface CredentialEnds {
    void ended(String credential, CredentialEnd why);
}
