package dev.porthole.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void anEnvironmentVariableWinsOverTheFile() {
        Properties file = new Properties();
        file.setProperty("exec.attach-timeout", "60s");
        Settings settings = new Settings(file, Map.of("PORTHOLE_EXEC_ATTACH_TIMEOUT", "5s"), "test");
        assertEquals(Duration.ofSeconds(5), settings.getDuration("exec.attach-timeout", Duration.ZERO));
    }

    @Test
    void durationsReadUnitsAndIso8601() {
        assertEquals(Duration.ofMillis(500), Settings.duration("500ms"));
        assertEquals(Duration.ofSeconds(60), Settings.duration("60"));
        assertEquals(Duration.ofMinutes(5), Settings.duration("5m"));
        assertEquals(Duration.ofHours(2), Settings.duration("PT2H"));
        assertThrows(IllegalArgumentException.class, () -> Settings.duration("soon"));
    }

    @Test
    void environmentIdsComeFromTheFileAndFromVariables() {
        Properties file = new Properties();
        file.setProperty("environments.1.url", "unix:///var/run/docker.sock");
        file.setProperty("environments.3.name", "three");
        Settings settings = new Settings(file, Map.of("PORTHOLE_ENVIRONMENTS_7_URL", "tcp://h:2375"), "test");
        assertEquals(new TreeSet<>(java.util.List.of(1, 3, 7)), settings.environmentIds());
    }

    @Test
    void aValueThatIsNotANumberNamesItsKey() {
        Properties file = new Properties();
        file.setProperty("server.port", "eighty");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Settings(file, Map.of(), "f.properties").getInt("server.port", 8080));
        assertEquals("configuration server.port (from f.properties): cannot read 'eighty'", e.getMessage());
    }
}
