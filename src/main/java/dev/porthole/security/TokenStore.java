package dev.porthole.security;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.config.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The issued API tokens of a single node, kept in memory by hash and in a JSON file that is rewritten whole (to a private temporary
 * file, then moved into place) on every change, so it is never half written. Only SHA-256 hashes are stored: the
 * tokens are 256 random bits, which no one can guess from a fast hash, so no slow one is needed.
 */
public final class TokenStore implements TokenTable {
    private final Path file;
    private final ObjectMapper json = new ObjectMapper();
    /** By hash; guarded by this. */
    private final Map<String, ApiToken> byHash = new LinkedHashMap<>();

    public TokenStore(Path file) {
        this.file = file;
        PrivateFiles.restrict(file, "the API tokens file");
        if (Files.exists(file)) {
            try {
                for (ApiToken token : json.readValue(file.toFile(), new TypeReference<List<ApiToken>>() { })) {
                    byHash.put(token.sha256(), token);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the API tokens in " + file + ": " + e.getMessage(), e);
            }
        }
    }

    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized Optional<ApiToken> findByHash(String sha256) {
        return Optional.ofNullable(byHash.get(sha256));
    }

    @Override
    public synchronized List<ApiToken> all() {
        return List.copyOf(byHash.values());
    }

    @Override
    public synchronized void add(ApiToken token) {
        byHash.put(token.sha256(), token);
        save();
    }

    @Override
    public synchronized Optional<ApiToken> remove(String id) {
        Optional<ApiToken> found = byHash.values().stream().filter(t -> t.id().equals(id)).findFirst();
        found.ifPresent(t -> {
            byHash.remove(t.sha256());
            save();
        });
        return found;
    }

    /** Makes the file hold {@code tokens} and nothing else: a cluster's node keeps the grid's tokens on its own disk. */
    public synchronized void replaceAll(List<ApiToken> tokens) {
        byHash.clear();
        tokens.forEach(token -> byHash.put(token.sha256(), token));
        save();
    }

    private void save() {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, ".tokens", ".json",
                    PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_ONLY));
            json.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), new ArrayList<>(byHash.values()));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API tokens to " + file, e);
        }
    }
}
