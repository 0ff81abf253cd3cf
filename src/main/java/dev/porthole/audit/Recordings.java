package dev.porthole.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.terminal.TerminalObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/** Where recordings go: one {@code .cast} file per terminal, named by its start (UTC), its user and its exec id. */
final class Recordings {
    /** Recordings hold whatever a terminal showed: readable by Porthole's own user only. */
    static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final ObjectMapper json = new ObjectMapper();

    Recordings(Path directory) {
        this.directory = directory;
    }

    AsciicastRecorder start(TerminalObserver.Terminal terminal) throws IOException {
        // The user name comes from a realm: keep only characters that are safe in a file name.
        String user = terminal.owner().replaceAll("[^A-Za-z0-9_.-]", "_");
        String name = STAMP.format(terminal.started()) + "-" + user + "-" + terminal.execId() + ".cast";
        return AsciicastRecorder.create(json, directory.resolve(name), terminal);
    }
}
