package dev.porthole.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test engine on a loopback TCP port, with every exec create ({@code POST /containers/{id}/exec}) held for
 * {@code delay} before it goes on, and noted: a test can tell an answer that waited for the engine's create from
 * one that did not, and see whether the engine was asked at all. Everything else passes at once.
 */
final class SlowCreateRelay implements AutoCloseable {
    private static final Pattern EXEC_CREATE = Pattern.compile("^POST (?:/v[0-9.]+)?/containers/([^/ ]+)/exec HTTP/1\\.1",
            Pattern.MULTILINE);

    private final Duration delay;
    private final List<String> creates = new CopyOnWriteArrayList<>();
    private final LoopbackRelay relay;

    SlowCreateRelay(Path engine, Duration delay) throws IOException {
        this.delay = delay;
        this.relay = LoopbackRelay.relayTo(engine, this::holdExecCreates);
    }

    int port() {
        return relay.port();
    }

    /** How many exec creates for {@code container} (as the request named it) reached the relay so far. */
    long createsFor(String container) {
        return creates.stream().filter(container::equals).count();
    }

    /** Notes the exec creates that start in these bytes, and holds them for the delay. */
    private void holdExecCreates(ByteBuffer chunk) throws InterruptedException {
        Matcher m = EXEC_CREATE.matcher(StandardCharsets.ISO_8859_1.decode(chunk.duplicate()));
        boolean any = false;
        while (m.find()) {
            creates.add(m.group(1));
            any = true;
        }
        if (any) {
            Thread.sleep(delay.toMillis());
        }
    }

    @Override
    public void close() throws IOException {
        relay.close();
    }
}
