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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    /** Tokens the server gave itself, by hash: in this node's memory only, never stored, listed or audited. */
    private final Map<String, ApiToken> own = new ConcurrentHashMap<>();

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
        String token = newToken();
        ApiToken stored = new ApiToken(newId(), TokenStore.sha256(token), user, granted,
                note == null ? "" : note, Instant.now().toString(), admin.name());
        try {
            store.add(stored);
        } catch (UncheckedIOException e) {
            throw new PortholeException(Problem.INTERNAL, "cannot store the token", e);
        }
        events.tokenIssued(admin.name(), stored.id(), user, granted, client);
        return new Issued(token, stored.summary());
    }

    /**
     * A token the server gives itself (its warm-up) for {@code user} with {@code roles}: accepted like an issued one
     * on this node, and nowhere else; not stored, not listed, not audited. Closing it revokes it and ends what it
     * opened.
     */
    public Own issueOwn(String user, Set<String> roles) {
        String token = newToken();
        ApiToken about = new ApiToken(newId(), TokenStore.sha256(token), user, Set.copyOf(roles), "", Instant.now().toString(),
                user);
        own.put(about.sha256(), about);
        return new Own(token, () -> {
            if (own.remove(about.sha256()) != null) {
                ends.ended(SessionUsers.tokenCredential(about), CredentialEnd.TOKEN_REVOKED);
            }
        });
    }

    /** A token of the server's own: the secret, and what revokes it. */
    public record Own(String token, Runnable revoke) implements AutoCloseable {
        @Override
        public void close() {
            revoke.run();
        }
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
        String sha256 = TokenStore.sha256(token);
        ApiToken ours = own.get(sha256);
        return ours != null ? Optional.of(ours) : store.findByHash(sha256);
    }

    private String newToken() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private String newId() {
        byte[] id = new byte[8];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
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
