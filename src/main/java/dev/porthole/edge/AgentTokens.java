package dev.porthole.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Agent tokens as Dockhand makes them (32 random bytes, base64url without padding, 43 characters), and their
 * SHA-256, which is all Porthole keeps. An agent proves itself with the token, whose hash is computed here; the hash
 * that newer agents also send ({@code tokenHash}) is what the configuration stores, so it proves nothing and is not
 * read. Hashes are compared in constant time.
 */
public final class AgentTokens {
    private final SecureRandom random;

    public AgentTokens(SecureRandom random) {
        this.random = random;
    }

    public String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code token}: what the configuration keeps of it. */
    public static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Whether two hex hashes are equal, in time that does not depend on where they differ. */
    public static boolean sameHash(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                b.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
