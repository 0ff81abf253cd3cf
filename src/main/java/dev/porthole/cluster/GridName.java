package dev.porthole.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The name the grid's members compare when one asks to join: Hazelcast (open source) refuses a member whose cluster
 * name differs, and has no other check of who joins. With a secret, the name is {@code cluster.name} followed by an
 * HMAC-SHA256 of it keyed by the secret, so a node without the secret is refused, and the secret itself never
 * leaves the node: only this derivation travels in the join messages (in clear: keep the grid's port on a private
 * network). Without a secret the name is {@code cluster.name} as it is.
 */
final class GridName {
    private GridName() {
    }

    static String of(String name, Optional<String> secret) {
        if (secret.isEmpty()) {
            return name;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return name + "-" + HexFormat.of().formatHex(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java", e);
        }
    }
}
