package dev.porthole.cluster;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import dev.porthole.it.GridPorts;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class GridTest {
    private static final String SECRET = "s3cret-of-the-test-cluster";

    @Test
    void membersWithTheSameSecretFormOneClusterAndNameEachOther() {
        List<Grid> grids = TestGrids.start(2);
        try {
            assertEquals(List.of("node-0", "node-1"), grids.get(0).members());
            assertEquals(List.of("node-0", "node-1"), grids.get(1).members());
        } finally {
            grids.forEach(Grid::close);
        }
    }

    /**
     * As for classes as compiled deployed into Payara, whose own Hazelcast comes before the web app's: a Hazelcast
     * class from another loader than Porthole's (here one of the JDK's, from the boot loader) stops the start with the
     * reason and the way out.
     */
    @Test
    void aServerThatSuppliesItsOwnHazelcastIsRefusedWithTheReason() {
        assertDoesNotThrow(() -> Grid.requireOwnLibrary(com.hazelcast.config.Config.class));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Grid.requireOwnLibrary(String.class));
        assertEquals("cluster.enabled=true needs the Hazelcast that Porthole brings, but this server gives the web app"
                + " its own (java.lang.String from null): deploy the WAR that the build makes (mvn package), which"
                + " carries Hazelcast relocated under dev.porthole.grid.hazelcast where no server's copy comes first",
                refused.getMessage());
    }

    @Test
    void aNodeWithAnotherSecretIsRefusedAndNeitherSecretNorItsDerivationIsLogged() {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logged);
        List<Integer> ports = GridPorts.free(2);
        Grid first = Grid.join(TestGrids.options(ports, 0, "test", SECRET));
        Grid intruder = Grid.join(TestGrids.options(ports, 1, "test", "guessed"));
        try {
            assertEquals(List.of("node-0"), first.members());
            assertEquals(List.of("node-1"), intruder.members());
        } finally {
            intruder.close();
            first.close();
            root.detachAppender(logged);
        }
        String derived = GridName.of("test", Optional.of(SECRET));
        assertTrue(logged.list.size() > 10, "the grid logs through the application's logger");
        for (ILoggingEvent event : logged.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            assertTrue(!line.contains(SECRET) && !line.contains(derived.substring("test-".length())), line);
        }
    }

    @Test
    void closingStopsEveryThreadOfTheMember() {
        Grid grid = TestGrids.start(1).get(0);
        grid.close();
        List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(name -> name.startsWith("hz.")).toList();
        assertEquals(List.of(), left);
    }
}
