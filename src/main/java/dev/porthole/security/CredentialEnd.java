package dev.porthole.security;

/** Why a credential ended: what its terminals are told, and what the audit records. */
public enum CredentialEnd {
    SIGNED_OUT, SESSION_EXPIRED, TOKEN_REVOKED
}
