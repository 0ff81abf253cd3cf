package dev.porthole.embedded;

import org.apache.catalina.realm.SecretKeyCredentialHandler;

/**
 * The password hashing of the embedded realm: PBKDF2 with HMAC-SHA256, a random salt per password. Stored
 * values read {@code salt$iterations$hash}; a standalone Tomcat uses the same handler with the same attributes.
 */
public final class Credentials {
    public static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    public static final int KEY_LENGTH = 256;
    public static final int ITERATIONS = 100_000;

    private Credentials() {
    }

    public static SecretKeyCredentialHandler handler() {
        SecretKeyCredentialHandler handler;
        try {
            handler = new SecretKeyCredentialHandler();
            handler.setAlgorithm(ALGORITHM);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        handler.setKeyLength(KEY_LENGTH);
        handler.setIterations(ITERATIONS);
        return handler;
    }
}
