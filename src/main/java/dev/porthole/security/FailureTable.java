package dev.porthole.security;

import java.util.function.UnaryOperator;

/** The failed sign-ins of one kind of key (names, or addresses), changed atomically per key. */
public interface FailureTable {
    /**
     * Replaces the key's failures with {@code update} of them (null for none, and null to forget them), atomically:
     * no other update of the key comes between the read and the write. {@code update} may be called more than once;
     * only its last call counts.
     */
    SignInFailures update(String key, UnaryOperator<SignInFailures> update);

    SignInFailures get(String key);
}
