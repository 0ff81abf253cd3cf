package dev.porthole.security;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;
import dev.porthole.error.Problem;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Issues, lists and revokes API tokens for non-browser clients; admins only. A token is shown once, when issued.
 * Revoking one also ends the terminals it opened and forgets the exec instances it left waiting.
 */
public final class TokenService {
    /** The prefix makes a leaked token easy to recognise in logs and by secret scanners. */
    static final String PREFIX = "ph_";
    private static final Pattern USER = Pattern.compile("[\\p{L}\\p{N}_.@+-]{1,128}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final int MAX_NOTE = 200;

    private final TokenTable store;
    private final Supplier<List<String>> knownRoles;
    private final SecurityEvents events;
    private final CredentialEnds ends;
    private final SecureRandom random = new SecureRandom();

    /**
     * {@code knownRoles}: the roles a token may be given, as the environments are now; {@code ends} ends what a
     * credential opened ({@link SessionUsers#tokenCredential}).
     */
    TokenService(TokenTable store, Supplier<List<String>> knownRoles, SecurityEvents events, CredentialEnds ends) {
        this.store = store;
        this.knownRoles = knownRoles;
        this.events = events;
        this.ends = ends;
    }

    /** A token as issued: the secret, shown this once, and what it stands for. */
    @Schema(name = "IssuedToken")
    public record Issued(String token, ApiToken.Summary about) {
    }

    public Issued issue(SignedInUser admin, String client, String user, List<String> roles, String note) {
        requireAdmin(admin);
        if (user == null || !USER.matcher(user).matches()) {
            throw PortholeException.badRequest("user must be a user name of 1 to 128 letters, digits and _.@+-, not '"
                    + Printable.of(String.valueOf(user), 64) + "'");
        }
        Set<String> granted = roles(roles);
        if (note != null && (note.length() > MAX_NOTE || note.chars().anyMatch(Character::isISOControl))) {
            throw PortholeException.badRequest("note must be at most " + MAX_NOTE + " characters, without control characters");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] id = new byte[8];
        random.nextBytes(id);
        ApiToken stored = new ApiToken(HexFormat.of().formatHex(id), TokenStore.sha256(token), user, granted,
                note == null ? "" : note, Instant.now().toString(), admin.name());
        try {
            store.add(stored);
        } catch (UncheckedIOException e) {
            throw new PortholeException(Problem.INTERNAL, "cannot store the token", e);
        }
        events.tokenIssued(admin.name(), stored.id(), user, granted, client);
        return new Issued(token, stored.summary());
    }

    public List<ApiToken.Summary> list(SignedInUser admin) {
        requireAdmin(admin);
        return store.all().stream().map(ApiToken::summary).toList();
    }

    public void revoke(SignedInUser admin, String client, String id) {
        requireAdmin(admin);
        if (id == null || !ID.matcher(id).matches()) {
            throw PortholeException.badRequest("a token id is 16 hex digits, not '" + Printable.of(String.valueOf(id), 40) + "'");
        }
        ApiToken revoked;
        try {
            revoked = store.remove(id).orElseThrow(() -> PortholeException.notFound("unknown token " + id));
        } catch (UncheckedIOException e) {
            throw new PortholeException(Problem.INTERNAL, "cannot store the change", e);
        }
        events.tokenRevoked(admin.name(), revoked.id(), client);
        ends.ended(SessionUsers.tokenCredential(revoked), CredentialEnd.TOKEN_REVOKED);
    }

    /** The token a request's {@code Authorization: Bearer} header names, if it is one that was issued and not revoked. */
    Optional<ApiToken> find(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        return store.findByHash(TokenStore.sha256(token));
    }

    private Set<String> roles(List<String> roles) {
        List<String> known = knownRoles.get();
        if (roles == null || roles.isEmpty()) {
            throw PortholeException.badRequest("roles must list at least one of " + known);
        }
        Set<String> granted = new LinkedHashSet<>();
        for (String role : roles) {
            if (role == null || !known.contains(role)) {
                throw PortholeException.badRequest("unknown role '" + Printable.of(String.valueOf(role), 64)
                        + "'; roles are " + known);
            }
            granted.add(role);
        }
        return granted;
    }

    private static void requireAdmin(SignedInUser user) {
        if (!user.mayAdminister()) {
            throw PortholeException.forbidden("only an admin may manage API tokens");
        }
    }
}
