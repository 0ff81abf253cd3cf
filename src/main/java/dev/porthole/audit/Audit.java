package dev.porthole.audit;

import dev.porthole.config.Settings;
import dev.porthole.security.SecurityEvents;
import dev.porthole.terminal.ProcessLedger;
import dev.porthole.terminal.TerminalObserver;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Assembles the audit from the configuration: the rotating audit file, the terminal observer and the security
 * events that write to it, and the recordings if they are on. Closed when the web app stops.
 */
public final class Audit implements AutoCloseable {
    private final AuditLog log;
    private final TerminalAudit terminals;

    /**
     * {@code dataDirectory} holds the audit file and the recordings unless the configuration names other places;
     * {@code node} is this node's name, written in every record.
     */
    public Audit(Settings settings, Path dataDirectory, String node) {
        Path file = Path.of(settings.get("audit.file", dataDirectory.resolve("audit").resolve("audit.log").toString()));
        this.log = new AuditLog(AuditFile.open(file, settings.get("audit.max-file-size", "10MB"),
                settings.getInt("audit.max-history", 90)), node);
        Optional<Recordings> recordings = Optional.empty();
        if (settings.getBoolean("audit.recordings", false)) {
            Path directory = Path.of(settings.get("audit.recordings-dir",
                    file.toAbsolutePath().getParent().resolve("recordings").toString()));
            recordings = Optional.of(new Recordings(directory));
        }
        this.terminals = new TerminalAudit(log, recordings);
    }

    public TerminalObserver terminals() {
        return terminals;
    }

    /** Records each death of another node once, by the node that ended its processes. */
    public ProcessLedger.Deaths nodeDeaths() {
        return log::nodeDied;
    }

    public SecurityEvents securityEvents() {
        return log;
    }

    @Override
    public void close() {
        log.close();
    }
}
