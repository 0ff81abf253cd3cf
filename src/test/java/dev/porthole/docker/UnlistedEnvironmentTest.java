package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.error.PortholeException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class UnlistedEnvironmentTest {
    private static final Environment LISTED = new Environment(1, "listed", URI.create("unix:///tmp/none.sock"),
            Duration.ofSeconds(1), Duration.ofSeconds(1));
    private final Environments environments = new Environments(Map.of(1, LISTED), environment -> {
        throw new AssertionError("no engine is made for " + environment);
    });

    @Test
    void anUnlistedEnvironmentWorksLikeAnyOtherAndIsInNoList() {
        int id = environments.freeId();
        assertEquals(999_999_999, id);
        Closing engine = new Closing(id);
        environments.addUnlisted(engine);
        assertTrue(environments.isUnlisted(id));
        assertFalse(environments.isUnlisted(1));
        assertEquals(List.of(LISTED), List.copyOf(environments.all()));
        assertSame(engine.environment(), environments.require(String.valueOf(id)));
        assertSame(engine, environments.engine(engine.environment()));
        assertEquals(999_999_998, environments.freeId(), "its id is taken while it exists");
    }

    @Test
    void itsWithdrawalWaitsForItsTerminalsToEndThenClosesItsEngine() throws Exception {
        int id = environments.freeId();
        Closing engine = new Closing(id);
        List<String> told = new ArrayList<>();
        CompletableFuture<Void> terminalsEnded = new CompletableFuture<>();
        environments.addListener((environment, reason) -> {
            told.add(reason);
            return terminalsEnded;
        });
        Environments.Withdrawal withdrawal = environments.addUnlisted(engine);
        Thread ending = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            terminalsEnded.complete(null);
        });
        ending.start();
        withdrawal.awaitWithdrawn(Duration.ofSeconds(30));
        assertTrue(terminalsEnded.isDone(), "returned before the terminals ended");
        assertTrue(engine.closed.get());
        assertEquals(List.of(engine.environment() + " was removed"), told);
        assertFalse(environments.isUnlisted(id));
        assertThrows(PortholeException.class, () -> environments.require(String.valueOf(id)));
        ending.join();
    }

    @Test
    void anIdThatIsTakenIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> environments.addUnlisted(new Closing(1)));
    }

    private static final class Closing extends StubEngine {
        final AtomicBoolean closed = new AtomicBoolean();

        Closing(int id) {
            super(new Environment(id, "own", URI.create("unix:///tmp/own.sock"), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
