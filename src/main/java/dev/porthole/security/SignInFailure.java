package dev.porthole.security;

/** Why a sign-in failed, with the words the audit records for it. */
public enum SignInFailure {
    /** The realm refused the user name and password. */
    WRONG_PASSWORD(SignIn.WRONG),
    /** The realm refused them, and this failure locked the user name or the address out. */
    LOCKED_OUT(SignIn.WRONG + "; now locked out"),
    /** Refused without asking the realm: the name or the address must still wait, or is locked out. */
    THROTTLED("too many failed sign-ins");

    private final String reason;

    SignInFailure(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
