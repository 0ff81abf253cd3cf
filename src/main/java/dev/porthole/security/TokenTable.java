package dev.porthole.security;

import java.util.List;
import java.util.Optional;

/** The issued API tokens: the file's on a single node ({@link TokenStore}), the grid's in a cluster. */
public interface TokenTable {
    /** The token whose hash is {@code sha256}, if issued and not revoked. */
    Optional<ApiToken> findByHash(String sha256);

    List<ApiToken> all();

    void add(ApiToken token);

    /** Answers the revoked token, if there was one with this id. */
    Optional<ApiToken> remove(String id);
}
