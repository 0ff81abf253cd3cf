package dev.porthole.security;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Set;

/**
 * An API token as stored: never the token itself, only its SHA-256. It acts as {@code user} with the
 * {@code roles} recorded when an admin issued it.
 */
public record ApiToken(String id, String sha256, String user, Set<String> roles, String note, String created,
        String createdBy) implements java.io.Serializable {

    SignedInUser asUser() {
        return new SignedInUser(user, roles);
    }

    /** What the API shows of a token: everything but its hash. */
    @Schema(name = "TokenSummary")
    public record Summary(String id, String user, Set<String> roles, String note, String created, String createdBy) {
    }

    Summary summary() {
        return new Summary(id, user, roles, note, created, createdBy);
    }
}
