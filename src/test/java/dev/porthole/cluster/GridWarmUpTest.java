package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hazelcast.core.DistributedObject;
import dev.porthole.it.GridPorts;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class GridWarmUpTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(GridWarmUp.class);

    @BeforeEach
    void listen() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
    }

    @Test
    void eachNodeWarmsUpOnceItHasAnotherMemberAndLeavesNothingInTheGrid() throws Exception {
        List<Integer> ports = GridPorts.free(2);
        Grid first = Grid.join(TestGrids.options(ports, 0, "warm", "warm-secret").withWarmUpRounds(300));
        Grid second = null;
        try {
            Thread.sleep(500);
            assertEquals(List.of(), lines(line -> true), "alone, a node has no other member to warm up with");
            second = Grid.join(TestGrids.options(ports, 1, "warm", "warm-secret").withWarmUpRounds(300));
            TestGrids.awaitTrue(() -> lines(line -> line.startsWith("warmed up the grid's operations in ")).size() == 2,
                    PATIENCE, "both warm-ups ended");
            assertEquals(2, lines(line -> line.equals("warming up the grid's operations with 2 members (300 rounds)"))
                    .size(), String.join("\n", lines(line -> true)));
            for (Grid grid : List.of(first, second)) {
                assertEquals(List.of(), grid.hazelcast().getDistributedObjects().stream()
                        .map(DistributedObject::getName).filter(name -> name.startsWith("porthole.warm-up")).toList());
            }
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    @Test
    void closingTheNodeEndsAWarmUpUnderWayAndItsThread() throws Exception {
        List<Integer> ports = GridPorts.free(2);
        Grid first = Grid.join(TestGrids.options(ports, 0, "cold", "cold-secret").withWarmUpRounds(10_000_000));
        Grid second = Grid.join(TestGrids.options(ports, 1, "cold", "cold-secret").withWarmUpRounds(10_000_000));
        try {
            TestGrids.awaitTrue(() -> lines(line -> line.startsWith("warming up the grid's operations")).size() == 2,
                    PATIENCE, "both warm-ups begun");
        } finally {
            long began = System.nanoTime();
            second.close();
            first.close();
            Duration closing = Duration.ofNanos(System.nanoTime() - began);
            assertTrue(closing.compareTo(Duration.ofSeconds(10)) < 0, "closed in " + closing);
        }
        List<String> warming = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(name -> name.endsWith("warm-up")).toList();
        assertEquals(List.of(), warming);
        assertEquals(List.of(), lines(line -> line.startsWith("warmed up")), "neither warm-up ran to its end");
    }

    @Test
    void aNegativeNumberOfRoundsIsRefusedWithTheSetting() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> TestGrids.options(List.of(5701), 0, "n", null).withWarmUpRounds(-1));
        assertEquals("cluster.warm-up-rounds must be 0 (no warm-up) or more, not -1", refused.getMessage());
    }

    private List<String> lines(Predicate<String> matching) {
        synchronized (logged) { // as the appender adds to it
            return logged.list.stream().map(ILoggingEvent::getFormattedMessage).filter(matching).toList();
        }
    }
}
