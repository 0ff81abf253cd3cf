package dev.porthole.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PingFencesTest {
    private final List<String> queued = new ArrayList<>();
    private boolean open = true;
    private final PingFences fences = new PingFences(message -> open && queued.add(message), millis -> "ping");

    @Test
    void aMessageIsFollowedByAPingAndCountsAsReadOnceThatManyPongsCame() {
        fences.ping();
        CompletableFuture<Void> read = fences.sendFenced("input");
        assertEquals(List.of("ping", "input", "ping"), queued);
        fences.answered();
        assertFalse(read.isDone(), "one pong may answer the ping before the message only");
        fences.answered();
        assertTrue(read.isDone());
    }

    @Test
    void pongsAreAlikeSoAnyOfThemCounts() {
        CompletableFuture<Void> first = fences.sendFenced("a");
        CompletableFuture<Void> second = fences.sendFenced("b");
        fences.answered(); // the agent may answer the second ping first: then it read both messages
        assertTrue(first.isDone());
        assertFalse(second.isDone());
        fences.answered();
        assertTrue(second.isDone());
    }

    @Test
    void closingFailsWhatWaitsAndAClosedConnectionTakesNothing() {
        CompletableFuture<Void> read = fences.sendFenced("a");
        fences.closed(new IllegalStateException("gone"));
        assertTrue(read.isCompletedExceptionally());
        open = false;
        assertNull(fences.sendFenced("b"));
    }
}
