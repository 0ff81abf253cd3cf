package dev.porthole.edge;

import dev.porthole.config.Settings;
import java.time.Duration;

/**
 * The {@code edge.*} settings. The defaults follow the agent: it pings every 30 s and gives up on a silent server
 * after 60 s, so Porthole pings every 20 s and calls an agent dead after 90 s of silence (Dockhand's figure). A
 * buffered agent response can reach about 134 MiB of JSON (100 MiB of body in base64), hence the 150 MiB cap, which
 * only an authenticated agent gets: before its hello a socket may send {@link #MAX_HELLO_BYTES} per message.
 */
public record EdgeOptions(Duration helloTimeout, Duration pingInterval, Duration deadAfter, long maxMessageBytes,
        int maxRequestsInFlight, int terminalBufferBytes, Duration execReadyTimeout, int failedHellosPerAddress,
        Duration failedHelloLockout, int maxUnauthenticatedPerAddress, int maxUnauthenticated, int maxInputBytes,
        InputSequencer.Pace inputPace) {
    /** Largest message before a good hello; an agent's hello is well under 1 KiB. */
    public static final int MAX_HELLO_BYTES = 8 * 1024;
    /**
     * How long the agent gets for a terminal size before the terminal's next message: it makes a Docker call for it,
     * which takes a few milliseconds on an idle engine.
     */
    private static final Duration RESIZE_SETTLE = Duration.ofMillis(50);

    public static EdgeOptions from(Settings settings) {
        return new EdgeOptions(
                settings.getDuration("edge.hello-timeout", Duration.ofSeconds(10)),
                settings.getDuration("edge.ping-interval", Duration.ofSeconds(20)),
                settings.getDuration("edge.dead-after", Duration.ofSeconds(90)),
                settings.getLong("edge.max-message-bytes", 150L * 1024 * 1024),
                settings.getInt("edge.max-requests-in-flight", 64),
                settings.getInt("edge.terminal-buffer-bytes", 4 * 1024 * 1024),
                settings.getDuration("edge.exec-ready-timeout", Duration.ofSeconds(30)),
                settings.getInt("edge.failed-hellos-per-address", 10),
                settings.getDuration("edge.failed-hello-lockout", Duration.ofMinutes(5)),
                settings.getInt("edge.max-unauthenticated-per-address", 8),
                settings.getInt("edge.max-unauthenticated", 256),
                (int) Math.min(Integer.MAX_VALUE, settings.getLong("terminal.max-message-bytes", 1024 * 1024)),
                new InputSequencer.Pace(settings.getDuration("edge.input-gap", Duration.ofMillis(10)),
                        Math.max(1, settings.getLong("edge.input-rate", 1_000_000)), RESIZE_SETTLE));
    }
}
