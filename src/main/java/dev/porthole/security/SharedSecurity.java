package dev.porthole.security;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The security state a cluster's nodes share: sign-in failures, API tokens, sign-ins. {@link #local} keeps it in
 * this JVM, for a single node; the cluster package keeps it in the grid.
 */
public interface SharedSecurity {
    /** The clock of the failures' times, in nanoseconds: one that every node sharing the failures reads alike. */
    LongSupplier clock();

    /** The failed sign-ins of one kind of key ({@code names}, {@code addresses}), forgotten {@code after} the last. */
    FailureTable failures(String kind, Duration after);

    /** The API tokens; {@code file} is where this node keeps them on disk. */
    TokenTable tokens(TokenStore file);

    SignedInSessions sessions();

    /** Everything in this JVM: the container's sessions, the tokens file, {@code System.nanoTime}. */
    static SharedSecurity local() {
        return new SharedSecurity() {
            @Override
            public LongSupplier clock() {
                return System::nanoTime;
            }

            @Override
            public FailureTable failures(String kind, Duration after) {
                return new LocalFailures(after.toNanos(), System::nanoTime);
            }

            @Override
            public TokenTable tokens(TokenStore file) {
                return file;
            }

            @Override
            public SignedInSessions sessions() {
                return new ContainerSessions();
            }
        };
    }
}
