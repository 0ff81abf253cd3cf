package dev.porthole.terminal;

import dev.porthole.config.Settings;
import java.time.Duration;

/** The terminal relay's tunables, each documented in README.md under Configuration. */
public record TerminalOptions(Duration attachTimeout, long maxMessageBytes, Duration sendTimeout, int stdinBuffer) {

    public static TerminalOptions from(Settings settings) {
        return new TerminalOptions(
                settings.getDuration("exec.attach-timeout", Duration.ofSeconds(60)),
                settings.getLong("terminal.max-message-bytes", 1024 * 1024),
                settings.getDuration("terminal.send-timeout", Duration.ofMinutes(2)),
                settings.getInt("terminal.stdin-buffer-bytes", 64 * 1024));
    }
}
