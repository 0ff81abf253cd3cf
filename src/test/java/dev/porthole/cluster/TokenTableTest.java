package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.security.ApiToken;
import dev.porthole.security.SharedSecurity;
import dev.porthole.security.TokenStore;
import dev.porthole.security.TokenTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API token tables: the file's for one node, the grid's for a cluster (issued on one member, seen by the other). */
class TokenTableTest {
    /**
     * A grid of two members for each test, left before the test's folder is deleted: the members' listeners write
     * the tokens files there.
     */
    private List<Grid> members;

    @BeforeEach
    void startGrid() {
        members = TestGrids.start(2);
    }

    @AfterEach
    void leaveGrid() {
        members.forEach(Grid::close);
    }
    /** Events reach the other member on the grid's own threads: the bound of a wait for them, far above their ms. */
    private static final Duration EVENT = Duration.ofSeconds(10);

    private static ApiToken token(String id) {
        return new ApiToken(id, TokenStore.sha256("ph_secret-" + id), "robot", Set.of("porthole-exec"), "", "2026-12-06T00:00:00Z", "admin");
    }

    private static void addFindRemove(TokenTable writer, TokenTable reader, String id) {
        ApiToken token = token(id);
        writer.add(token);
        assertEquals(Optional.of(token), reader.findByHash(token.sha256()));
        assertTrue(reader.all().contains(token));
        assertEquals(Optional.of(token), reader.remove(id));
        assertEquals(Optional.empty(), writer.findByHash(token.sha256()));
        assertEquals(Optional.empty(), writer.remove(id), "a second revocation finds nothing");
    }

    @Test
    void theFilesTableKeepsTokensAcrossARestart(@TempDir Path dir) {
        TokenStore file = new TokenStore(dir.resolve("tokens.json"));
        addFindRemove(file, file, "00000000000000a1");
        file.add(token("00000000000000a2"));
        assertEquals(List.of(token("00000000000000a2")), new TokenStore(dir.resolve("tokens.json")).all());
    }

    @Test
    void aTokenIssuedOnOneMemberIsFoundOnTheOtherAndItsRevocationIsHeardOnBoth(@TempDir Path dir) throws Exception {
        BlockingQueue<String> endedOn0 = new LinkedBlockingQueue<>();
        BlockingQueue<String> endedOn1 = new LinkedBlockingQueue<>();
        TokenStore file0 = new TokenStore(dir.resolve("0.json"));
        TokenStore file1 = new TokenStore(dir.resolve("1.json"));
        TokenTable on0 = tokens(0, file0, endedOn0);
        TokenTable on1 = tokens(1, file1, endedOn1);
        addFindRemove(on0, on1, "00000000000000b1");
        assertEquals("token:00000000000000b1 TOKEN_REVOKED", endedOn0.poll(EVENT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("token:00000000000000b1 TOKEN_REVOKED", endedOn1.poll(EVENT.toSeconds(), TimeUnit.SECONDS));

        on1.add(token("00000000000000b2"));
        awaitFile(dir.resolve("0.json"), List.of(token("00000000000000b2")));
        awaitFile(dir.resolve("1.json"), List.of(token("00000000000000b2")));
    }

    @Test
    void aMemberThatJoinsLaterTakesTheGridsTokensOverItsStaleFile(@TempDir Path dir) {
        TokenStore stale = new TokenStore(dir.resolve("stale.json"));
        stale.add(token("00000000000000c1")); // revoked in the cluster while this node was down
        TokenTable cluster = tokens(0, new TokenStore(dir.resolve("0.json")), new LinkedBlockingQueue<>());
        cluster.add(token("00000000000000c2"));
        TokenTable joined = tokens(1, stale, new LinkedBlockingQueue<>());
        assertEquals(Optional.empty(), joined.findByHash(token("00000000000000c1").sha256()));
        assertTrue(new TokenStore(dir.resolve("stale.json")).all().contains(token("00000000000000c2")));
        assertTrue(!new TokenStore(dir.resolve("stale.json")).all().contains(token("00000000000000c1")));
    }

    private TokenTable tokens(int member, TokenStore file, BlockingQueue<String> ended) {
        SharedSecurity security = members.get(member).security((credential, why) -> ended.add(credential + " " + why));
        return security.tokens(file);
    }

    private static void awaitFile(Path file, List<ApiToken> expected) throws InterruptedException {
        long deadline = System.nanoTime() + EVENT.toNanos();
        while (!new TokenStore(file).all().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, new TokenStore(file).all());
        assertTrue(Files.exists(file));
    }
}
