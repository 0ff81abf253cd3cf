package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The watch subscribes before it lists, starts over when the stream breaks, and leaves no thread when closed. */
class ContainerWatchTest {
    private static final String WEB = "a".repeat(64);
    private static final Environment ENVIRONMENT = new Environment(7, "watched", URI.create("unix:///nowhere.sock"),
            Duration.ofSeconds(1), Duration.ofSeconds(1));

    /** An engine whose event streams the test feeds; a null event ends the current stream, as a broken one. */
    private static class FakeEngine implements ContainerWatch.Source {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile BlockingQueue<ContainerEvent> stream;
        volatile List<ContainerSummary> containers = List.of(new ContainerSummary(WEB, List.of("web"), "i", "running", ""));

        @Override
        public Instant now() {
            calls.add("now");
            return Instant.ofEpochSecond(1000);
        }

        @Override
        public ContainerWatch.Events events(Instant since) {
            calls.add("events since " + since.getEpochSecond());
            BlockingQueue<ContainerEvent> queue = new LinkedBlockingQueue<>();
            stream = queue;
            return new ContainerWatch.Events() {
                @Override
                public ContainerEvent next() throws IOException {
                    try {
                        ContainerEvent event = queue.take();
                        if (event.action().equals("broken")) {
                            throw new IOException("stream broke");
                        }
                        return event;
                    } catch (InterruptedException e) {
                        throw new IOException("closed");
                    }
                }

                @Override
                public void close() {
                    queue.add(new ContainerEvent("broken", null, null));
                }
            };
        }

        @Override
        public List<ContainerSummary> containers() {
            calls.add("containers");
            return containers;
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 5 s");
            Thread.sleep(10);
        }
    }

    private static boolean watchThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("porthole-events-7"));
    }

    @Test
    void followsSubscribesBeforeListingAndStartsOverWhenTheStreamBreaks() throws Exception {
        FakeEngine engine = new FakeEngine();
        ContainerTable table = new ContainerTable();
        ContainerWatch watch = ContainerWatch.start(ENVIRONMENT, table, engine);
        try {
            await(table::inSync);
            assertEquals(List.of("now", "events since 1000", "containers"), engine.calls);
            assertEquals(ContainerTable.State.RUNNING, table.lookup("web").state());
            engine.stream.add(new ContainerEvent("stop", WEB, "web"));
            await(() -> table.lookup("web").state() == ContainerTable.State.STOPPED);

            engine.containers = List.of();
            engine.stream.add(new ContainerEvent("broken", null, null));
            await(() -> engine.calls.size() == 6); // started over: clock, stream, list
            await(table::inSync);
            assertNull(table.lookup("web"), "the table was loaded anew");
        } finally {
            watch.close();
        }
        assertFalse(table.inSync());
        await(() -> !watchThreadAlive());
    }

    @Test
    void anEngineThatCannotBeReachedLeavesTheTableEmptyAndTheWatchStopsWhenClosed() throws Exception {
        ContainerTable table = new ContainerTable();
        ContainerWatch watch = ContainerWatch.start(ENVIRONMENT, table, new FakeEngine() {
            @Override
            public ContainerWatch.Events events(Instant since) {
                throw new IllegalStateException("engine unreachable");
            }
        });
        Thread.sleep(300);
        assertFalse(table.inSync());
        watch.close();
        await(() -> !watchThreadAlive());
    }
}
