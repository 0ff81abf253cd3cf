package dev.porthole.terminal;

import dev.porthole.config.Settings;
import java.io.Serializable;
import java.time.Duration;

/** The terminal relay's tunables and limits, each documented in README.md under Configuration. */
public record TerminalOptions(
        Duration attachTimeout,
        long maxMessageBytes,
        Duration sendTimeout,
        Duration pingInterval,
        int maxMissedPongs,
        int sweepsPerEngine,
        Limits limits,
        Deflate deflate) {

    /** How many terminals may exist at once; over a limit, exec create answers 429. */
    public record Limits(int sessionsPerUser, int sessionsTotal, int pendingPerUser, int closing) implements Serializable {
    }

    /** Whether sockets may compress (permessage-deflate), and how many at once; see {@link Compression}. */
    public record Deflate(boolean enabled, int maxSockets) {
    }

    public static TerminalOptions from(Settings settings) {
        return new TerminalOptions(
                settings.getDuration("exec.attach-timeout", Duration.ofSeconds(60)),
                settings.getLong("terminal.max-message-bytes", 1024 * 1024),
                settings.getDuration("terminal.send-timeout", Duration.ofMinutes(2)),
                settings.getDuration("terminal.ping-interval", Duration.ofSeconds(30)),
                settings.getInt("terminal.max-missed-pongs", 2),
                Math.max(1, settings.getInt("terminal.sweeps-per-engine", 1)),
                new Limits(
                        settings.getInt("limits.sessions-per-user", 50),
                        settings.getInt("limits.sessions-total", 2000),
                        settings.getInt("limits.pending-per-user", 20),
                        settings.getInt("limits.closing", 64)),
                new Deflate(
                        settings.getBoolean("terminal.compression", false),
                        settings.getInt("terminal.compression-max-sockets", 100)));
    }
}
