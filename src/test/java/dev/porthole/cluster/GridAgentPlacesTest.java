package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.docker.AgentStatus;
import dev.porthole.edge.AgentPlaces;
import dev.porthole.edge.AgentPlaces.AgentReply;
import dev.porthole.edge.AgentPlaces.AgentRequest;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where the agents are, on a real grid of three members, and the calls routed to them. */
class GridAgentPlacesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final AgentRequest LIST = new AgentRequest("sha", "GET", "/containers/json?all=1", null);
    private List<Grid> grids;
    private List<AgentPlaces> places;

    @BeforeEach
    void start() {
        grids = TestGrids.start(3);
        places = grids.stream().map(Grid::agentPlaces).toList();
    }

    @AfterEach
    void stop() {
        grids.forEach(Grid::close);
    }

    /** What each node's agent connections were asked by the others. */
    private static final class Served implements AgentPlaces.Requests {
        final BlockingQueue<AgentRequest> asked = new LinkedBlockingQueue<>();
        final String node;

        Served(String node) {
            this.node = node;
        }

        @Override
        public AgentReply request(int environmentId, AgentRequest request) {
            asked.add(request);
            if (environmentId == 9) {
                throw new PortholeException(Problem.CONFLICT, "container c: is not running");
            }
            return new AgentReply(200, (node + " " + request.method() + " " + request.path())
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static AgentStatus status(String agentName) {
        return new AgentStatus(true, "0.2.14", "1.0", agentName, "host", "20.10", List.of("exec"), "2026-01-01T00:00:00Z");
    }

    /** The grid's writes are asynchronous for the agent's reader thread: waits until every node sees the place. */
    private void awaitPlace(int environmentId, Optional<String> fromNode1) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!places.get(1).elsewhere(environmentId).equals(fromNode1)) {
            assertTrue(System.nanoTime() < deadline, "node-1 sees " + places.get(1).elsewhere(environmentId));
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @Test
    void aCallOnANodeWithoutTheAgentIsMadeOnTheNodeWithIt() throws Exception {
        List<Served> served = List.of(new Served("node-0"), new Served("node-1"), new Served("node-2"));
        for (int i = 0; i < 3; i++) {
            places.get(i).serve(served.get(i));
        }
        places.get(0).connected(1, "first", status("first"));
        awaitPlace(1, Optional.of("node-0"));
        assertEquals(Optional.empty(), places.get(0).elsewhere(1), "its own node calls through its own connection");
        assertEquals(Optional.of("node-0"), places.get(2).elsewhere(1));
        assertEquals(Optional.of(status("first")), places.get(2).statusElsewhere(1), "as it said at its hello");
        assertEquals(Optional.empty(), places.get(0).statusElsewhere(1));

        AgentReply reply = places.get(2).request(1, LIST, PATIENCE).orElseThrow();
        assertEquals(200, reply.status());
        assertArrayEquals("node-0 GET /containers/json?all=1".getBytes(StandardCharsets.UTF_8), reply.body());
        assertEquals(LIST, served.get(0).asked.poll());
        assertTrue(served.get(1).asked.isEmpty() && served.get(2).asked.isEmpty());
        assertEquals(Optional.empty(), places.get(0).request(1, LIST, PATIENCE), "not routed from its own node");
        assertEquals(Optional.empty(), places.get(2).request(2, LIST, PATIENCE), "no agent anywhere: no route");
    }

    @Test
    void aFailureThereIsTheSameFailureHere() throws Exception {
        places.get(0).serve(new Served("node-0"));
        places.get(0).connected(9, "first", status("first"));
        awaitPlace(9, Optional.of("node-0"));
        PortholeException failed = assertThrows(PortholeException.class,
                () -> places.get(1).request(9, LIST, PATIENCE));
        assertEquals(Problem.CONFLICT, failed.problem());
        assertEquals("container c: is not running", failed.getMessage());
    }

    @Test
    void anAgentThatReconnectsElsewhereIsNotForgottenWhenItsOldConnectionEnds() throws Exception {
        places.get(0).connected(3, "old", status("old"));
        awaitPlace(3, Optional.of("node-0"));
        places.get(2).connected(3, "new", status("new"));
        awaitPlace(3, Optional.of("node-2"));
        places.get(0).disconnected(3, "old"); // the old socket is closed after the new one said hello
        // A fence: the same member's next step on the key's partition runs after the removal.
        grids.get(0).hazelcast().<Integer, GridAgentPlaces.Place>getMap(GridAgentPlaces.MAP)
                .submitToKey(3, new GridAgentPlaces.Gone(new GridAgentPlaces.Place(null, "none", "none", null)))
                .toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(Optional.of("node-2"), places.get(1).elsewhere(3));

        places.get(2).disconnected(3, "new");
        awaitPlace(3, Optional.empty());
    }

    @Test
    void anAgentOnANodeThatLeftIsNowhereAndACallThatWasOnItsWayFailsAsAnAgentGone() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        places.get(0).serve((environmentId, request) -> {
            asked.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new AgentReply(200, new byte[0]);
        });
        places.get(0).connected(5, "first", status("first"));
        awaitPlace(5, Optional.of("node-0"));
        java.util.concurrent.CompletableFuture<Optional<AgentReply>> call = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> places.get(1).request(5, LIST, PATIENCE));
        assertTrue(asked.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        grids.get(0).hazelcast().getLifecycleService().terminate(); // as a kill: it removes nothing
        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> call.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof PortholeException gone
                && gone.problem() == Problem.ENGINE_UNREACHABLE && gone.getMessage().contains("offline"),
                String.valueOf(failed.getCause()));
        never.countDown();
        assertEquals(Optional.empty(), places.get(1).elsewhere(5), "the member list is the truth");
        assertEquals(Optional.empty(), places.get(1).statusElsewhere(5));
        assertEquals(Optional.empty(), places.get(2).request(5, LIST, PATIENCE));
    }
}
