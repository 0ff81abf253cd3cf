package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exec create answers from the container table that the engine's events keep, and the engine's create runs behind
 * the answer. Environment 4 reaches the real engine through {@link SlowCreateRelay}, which holds every
 * exec create for {@link #ENGINE_CREATE}: an answer much faster than that did not wait for the engine's create, and
 * the relay's count says whether the engine was asked at all.
 */
class FastCreateIT {
    private static final Duration ENGINE_CREATE = Duration.ofMillis(2500);
    /** An answer within this did not wait for the engine's create, even on a loaded machine. */
    private static final Duration FAST = Duration.ofMillis(1200);
    private static final Duration FEW_SECONDS = Duration.ofSeconds(10);
    private static SlowCreateRelay relay;
    private static TestServer.Running server;
    private static ApiClient alice;

    @BeforeAll
    static void start() throws Exception {
        relay = new SlowCreateRelay(Path.of(URI.create(TestServer.ENGINE).getPath()), ENGINE_CREATE);
        List<String> config = new ArrayList<>(TestEngines.environment(4, "slow exec create", "tcp://127.0.0.1:" + relay.port()));
        config.add("limits.pending-per-user=200"); // every answer the tests wait for leaves an exec instance waiting
        server = TestServer.startServer(config.toArray(String[]::new));
        alice = server.signedIn("alice");
        // The first call makes the environment's engine, and its table fills a moment later: until then, and
        // as long as it cannot tell, exec create asks the engine.
        awaitAnswer("ph-busybox", t -> fastAnd(t, 200));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        relay.close();
    }

    private record Timed(ApiClient.Response response, Duration took) {
    }

    private static Timed post(String container) {
        long start = System.nanoTime();
        ApiClient.Response r = alice.postExec(4, container, "{}");
        return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Asks until {@code wanted} holds (the table follows the engine's events a moment behind), and answers that. */
    private static Timed awaitAnswer(String container, Predicate<Timed> wanted) {
        long deadline = System.nanoTime() + FEW_SECONDS.toNanos();
        Timed last;
        do {
            last = post(container);
            if (wanted.test(last)) {
                return last;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no such answer for " + container + " within " + FEW_SECONDS + "; the last one took "
                + last.took().toMillis() + " ms: " + last.response().status() + " " + last.response().body());
    }

    private static boolean fastAnd(Timed t, int status) {
        return t.response().status() == status && t.took().compareTo(FAST) < 0;
    }

    private static String execId(Timed t) {
        return t.response().json().get("execId").asText();
    }

    private static void assertEchoes(TerminalClient terminal, String word) {
        terminal.type("echo " + word + "-$((40+2))\n");
        terminal.await(word + "-42", FEW_SECONDS);
    }

    /** A container of the test's own, running, under a name short enough for a close reason to hold its id. */
    private static String runContainer(String prefix) {
        String name = prefix + (System.nanoTime() % 100_000);
        Engine.docker("run", "-d", "--network", "none", "--name", name, "porthole/busybox:test", "sleep", "100000");
        return name;
    }

    private static String fullId(String container) {
        return Engine.docker("inspect", "-f", "{{.Id}}", container).trim();
    }

    @Test
    void theAnswerDoesNotWaitForTheEnginesCreateAndTheAttachDoes() {
        Timed created = post("ph-busybox");
        assertEquals(200, created.response().status(), created.response().body());
        assertTrue(created.took().compareTo(FAST) < 0, "the answer took " + created.took().toMillis() + " ms");
        TerminalClient terminal = alice.attach(execId(created), "envId=4");
        assertEchoes(terminal, "behind");
        terminal.close();
        terminal.awaitClose();
    }

    @Test
    void twentyCreatesAnswerAtOnceAndEveryTerminalWorks() {
        List<String> execIds = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            Timed created = post("ph-busybox");
            assertEquals(200, created.response().status(), created.response().body());
            execIds.add(execId(created));
        }
        Duration all = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(all.compareTo(ENGINE_CREATE) < 0, "20 creates took " + all.toMillis() + " ms");
        List<TerminalClient> terminals = new ArrayList<>();
        for (String execId : execIds) {
            terminals.add(alice.attach(execId, "envId=4"));
        }
        for (int i = 0; i < terminals.size(); i++) {
            assertEchoes(terminals.get(i), "many" + i);
        }
        for (TerminalClient terminal : terminals) {
            terminal.close();
            terminal.awaitClose();
        }
    }

    @Test
    void anIdPrefixIsResolvedByTheTable() {
        String prefix = fullId("ph-busybox").substring(0, 12);
        Timed created = awaitAnswer(prefix, t -> fastAnd(t, 200));
        TerminalClient terminal = alice.attach(execId(created), "envId=4");
        assertEchoes(terminal, "prefix");
        terminal.close();
        terminal.awaitClose();
    }

    @Test
    void aContainerStoppedRightBeforeThePostIsRefusedByTheEngine() {
        String name = runContainer("ph-stop-");
        try {
            awaitAnswer(name, t -> fastAnd(t, 200));
            Engine.docker("stop", "-t", "0", name);
            long deadline = System.nanoTime() + FEW_SECONDS.toNanos();
            long asked;
            Timed refused;
            do {
                // Past the engine's create of any earlier answer, which the relay counts once it reaches it.
                Engine.sleep(300);
                asked = relay.createsFor(name);
                refused = post(name);
            } while (refused.response().status() == 200 && System.nanoTime() < deadline);
            assertEquals(409, refused.response().status(), refused.response().body());
            assertEquals("container " + name + ": Container " + fullId(name) + " is not running",
                    refused.response().error());
            // Only the engine refuses: the table may not have seen a start of a moment ago.
            assertTrue(refused.took().compareTo(ENGINE_CREATE) >= 0, "the 409 took " + refused.took().toMillis() + " ms");
            assertTrue(relay.createsFor(name) > asked, "the engine was not asked");
        } finally {
            Engine.docker("rm", "-f", name);
        }
    }

    @Test
    void aContainerThatDiedIsLeftToTheEngine() {
        // A death may be followed by a restart the engine decides on: the table does not guess, the engine answers.
        String name = runContainer("ph-kill-");
        try {
            awaitAnswer(name, t -> fastAnd(t, 200));
            Engine.docker("kill", name);
            Timed refused = awaitAnswer(name, t -> t.response().status() != 200);
            assertEquals(409, refused.response().status(), refused.response().body());
            assertTrue(refused.response().error().endsWith(" is not running"), refused.response().error());
            assertTrue(refused.took().compareTo(ENGINE_CREATE) >= 0, "answered in " + refused.took().toMillis() + " ms");
        } finally {
            Engine.docker("rm", "-f", name);
        }
    }

    @Test
    void aRemovedContainerIsNotFound() {
        String name = runContainer("ph-rm-");
        awaitAnswer(name, t -> fastAnd(t, 200));
        Engine.docker("rm", "-f", name);
        Timed refused = awaitAnswer(name, t -> t.response().status() != 200);
        assertEquals(404, refused.response().status(), refused.response().body());
        assertEquals("container " + name + ": No such container: " + name, refused.response().error());
    }

    @Test
    void aRenamedContainerIsFoundByItsNewNameOnly() {
        String name = runContainer("ph-old-");
        String renamed = name.replace("ph-old-", "ph-new-");
        try {
            awaitAnswer(name, t -> fastAnd(t, 200));
            Engine.docker("rename", name, renamed);
            Timed created = awaitAnswer(renamed, t -> fastAnd(t, 200));
            TerminalClient terminal = alice.attach(execId(created), "envId=4");
            assertEchoes(terminal, "renamed");
            terminal.close();
            terminal.awaitClose();
            Timed old = awaitAnswer(name, t -> t.response().status() != 200);
            assertEquals(404, old.response().status(), old.response().body());
            assertEquals("container " + name + ": No such container: " + name, old.response().error());
        } finally {
            Engine.docker("rm", "-f", renamed);
        }
    }

    @Test
    void anEngineCreateThatFailsBehindTheAnswerClosesTheSocketWithTheEnginesWordsAndLeavesNothing() {
        String name = runContainer("ph-gone-");
        try {
            Timed created = awaitAnswer(name, t -> fastAnd(t, 200));
            // The engine's create is still held by the relay: stopping the container now makes the engine refuse it.
            Engine.docker("stop", "-t", "0", name);
            TerminalClient terminal = alice.attach(execId(created), "envId=4");
            TerminalClient.Closed closed = terminal.awaitClose(FEW_SECONDS);
            assertEquals(4409, closed.code(), closed.reason());
            assertTrue(closed.reason().startsWith("container " + name + ": Container "), closed.reason());
            // Neither waiting nor attached: the execId is gone for good.
            ApiClient.Response resize = alice.resize(4, execId(created), 24, 80);
            assertEquals(404, resize.status(), resize.body());
            TerminalClient again = alice.attach(execId(created), "envId=4");
            assertEquals(4404, again.awaitClose(FEW_SECONDS).code());
        } finally {
            Engine.docker("rm", "-f", name);
        }
    }
}
