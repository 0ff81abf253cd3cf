package dev.porthole.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesOneEnvironmentAndKeepsEveryOtherLine() throws Exception {
        Path file = dir.resolve("p.properties");
        Files.writeString(file, """
                # operator's comment
                server.port=8080
                environments.1.name=one
                environments.1.url=unix:///a.sock
                environments.10.name=ten
                environments.1.read-timeout = 5s \\
                  continued
                terminal.send-timeout=2m
                """);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("environments.1.name", " two words\\with\nnewline");
        values.put("environments.1.url", "tcp://h:2375");
        new ConfigFile(file).replace("environments.1.", values);

        assertEquals("""
                # operator's comment
                server.port=8080
                environments.1.name=\\ two words\\\\with\\nnewline
                environments.1.url=tcp://h:2375
                environments.10.name=ten
                terminal.send-timeout=2m
                """, Files.readString(file));
        Properties read = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            read.load(r);
        }
        assertEquals(" two words\\with\nnewline", read.getProperty("environments.1.name"));
        // It may hold agent token hashes from now on: its owner's only, whatever it was.
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void appendsANewEnvironmentAndRemovesOne() throws Exception {
        Path file = dir.resolve("p.properties");
        Files.writeString(file, "server.port=8080\nenvironments.2.url=tcp://h:1\n");
        ConfigFile config = new ConfigFile(file);
        config.replace("environments.3.", Map.of("environments.3.url", "tcp://h:3"));
        config.replace("environments.2.", Map.of());
        assertEquals("server.port=8080\n\nenvironments.3.url=tcp://h:3\n", Files.readString(file));
    }
}
