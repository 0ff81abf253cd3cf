package dev.porthole.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token the server gives itself: accepted while it lasts, and nowhere seen. */
class OwnTokenTest {
    private final List<String> events = new ArrayList<>();
    private final List<String> ended = new ArrayList<>();

    @Test
    void anOwnTokenIsAcceptedUntilClosedAndIsNeverStoredListedOrAudited(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens.json");
        TokenService tokens = new TokenService(new TokenStore(file), () -> List.of(Roles.ADMIN, Roles.EXEC),
                new SecurityEvents() {
                    @Override
                    public void tokenIssued(String by, String tokenId, String user, Set<String> roles, String client) {
                        events.add("issued " + tokenId);
                    }

                    @Override
                    public void tokenRevoked(String by, String tokenId, String client) {
                        events.add("revoked " + tokenId);
                    }
                }, (credential, why) -> ended.add(credential + " " + why));
        SignedInUser admin = new SignedInUser("admin", Set.of(Roles.ADMIN));

        TokenService.Own own = tokens.issueOwn("porthole-warm-up", Set.of(Roles.execOn(7)));
        ApiToken found = tokens.find(own.token()).orElseThrow();
        assertEquals(new SignedInUser("porthole-warm-up", Set.of(Roles.execOn(7))), found.asUser());
        assertEquals(List.of(), tokens.list(admin));
        assertFalse(Files.exists(file) && Files.readString(file).contains(found.id()), "stored in " + file);

        own.close();
        assertTrue(tokens.find(own.token()).isEmpty(), "accepted after it was closed");
        assertEquals(List.of(SessionUsers.tokenCredential(found) + " " + CredentialEnd.TOKEN_REVOKED), ended);
        own.close();
        assertEquals(1, ended.size(), "ended twice");
        assertEquals(List.of(), events);
    }
}
