package dev.porthole.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.porthole.security.ApiToken;
import dev.porthole.security.CredentialEnd;
import dev.porthole.security.CredentialEnds;
import dev.porthole.security.SessionUsers;
import dev.porthole.security.TokenStore;
import dev.porthole.security.TokenTable;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API tokens of a cluster: the grid map is the truth (a token issued on one node works on every node at once;
 * one revoked is refused everywhere from that moment), and every node writes the map to its own tokens file on each
 * change, so that the cluster's next cold start has them (see {@link Seeding}). A revocation heard from the map ends
 * the token's terminals on each node.
 */
final class GridTokens implements TokenTable {
    private static final Logger log = LoggerFactory.getLogger(GridTokens.class);

    private final IMap<String, ApiToken> map;
    private final TokenStore file;

    GridTokens(IMap<String, ApiToken> map, TokenStore file, Seeding seeding, CredentialEnds ends) {
        this.map = map;
        this.file = file;
        map.addEntryListener(new Changes(ends), true);
        if (seeding.claim("api-tokens")) {
            file.all().forEach(token -> map.putIfAbsent(token.sha256(), token));
        } else {
            keepOnDisk();
        }
    }

    @Override
    public Optional<ApiToken> findByHash(String sha256) {
        return Optional.ofNullable(map.get(sha256));
    }

    @Override
    public List<ApiToken> all() {
        return map.values().stream().sorted(Comparator.comparing(ApiToken::created).thenComparing(ApiToken::id)).toList();
    }

    @Override
    public void add(ApiToken token) {
        map.put(token.sha256(), token);
    }

    @Override
    public Optional<ApiToken> remove(String id) {
        return map.values().stream().filter(token -> token.id().equals(id)).findFirst()
                .filter(token -> map.remove(token.sha256()) != null);
    }

    private void keepOnDisk() {
        try {
            file.replaceAll(all());
        } catch (RuntimeException e) {
            log.error("cannot keep the cluster's API tokens on this node's disk: {}", e.getMessage());
        }
    }

    private final class Changes implements EntryAddedListener<String, ApiToken>, EntryUpdatedListener<String, ApiToken>,
            EntryRemovedListener<String, ApiToken> {
        private final CredentialEnds ends;

        Changes(CredentialEnds ends) {
            this.ends = ends;
        }

        @Override
        public void entryAdded(EntryEvent<String, ApiToken> event) {
            keepOnDisk();
        }

        @Override
        public void entryUpdated(EntryEvent<String, ApiToken> event) {
            keepOnDisk();
        }

        @Override
        public void entryRemoved(EntryEvent<String, ApiToken> event) {
            keepOnDisk();
            ApiToken revoked = event.getOldValue();
            if (revoked != null) {
                ends.ended(SessionUsers.tokenCredential(revoked), CredentialEnd.TOKEN_REVOKED);
            }
        }
    }
}
