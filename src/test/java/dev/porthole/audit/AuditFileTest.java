package dev.porthole.audit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFileTest {
    @Test
    void aFileThatCannotBeWrittenStopsTheStartAndSaysWhy(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("audit"), "a file where the folder should be");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> AuditFile.open(notAFolder.resolve("audit.log"), "10MB", 1));
        assertTrue(refused.getMessage().startsWith("cannot write the audit file " + notAFolder.resolve("audit.log")
                + " ("), refused.getMessage());
        assertTrue(refused.getMessage().contains("writable by the user " + System.getProperty("user.name")),
                refused.getMessage());
    }
}
