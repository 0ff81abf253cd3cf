package dev.porthole.docker;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ContainerTable} in step with its engine, on one thread per environment: it notes the engine's
 * clock, asks for the container events from then on, lists every container, and applies each event as it
 * arrives. Events that happened between the clock reading and the list (milliseconds) are applied after the list
 * as well; each sets a state outright, so the table ends as the engine is, though while they are applied it may
 * for a moment show a state the list had already passed. The engine flushes the events answer before it
 * subscribes, so only the {@code since} of the request, not the answer, proves that no event falls between
 * stream and list.
 *
 * <p>When the stream breaks or cannot be opened, the table is emptied (it answers nothing, and exec create asks
 * the engine) and the watch starts over after a pause that doubles up to {@link #LAST_RETRY}.
 */
final class ContainerWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContainerWatch.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(10);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(2);

    /** What the watch needs of the engine. */
    interface Source {
        /** The engine's clock, which stamps its events. */
        Instant now();

        /** The container events from {@code since} on, those the engine still holds and then new ones. */
        Events events(Instant since) throws IOException;

        List<ContainerSummary> containers();
    }

    /** An open event stream. */
    interface Events extends Closeable {
        /** The next event; blocks until one comes; null when the engine ended the stream. */
        ContainerEvent next() throws IOException;

        /** Ends the stream; a {@link #next} blocked in another thread fails at once. */
        @Override
        void close();
    }

    private final String environment;
    private final ContainerTable table;
    private final Source source;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Events current;
    /** When the table last came in sync (System.nanoTime), 0 while it is not; only the watch's thread uses it. */
    private long inSyncSince;

    private ContainerWatch(Environment environment, ContainerTable table, Source source) {
        this.environment = environment.toString();
        this.table = table;
        this.source = source;
        this.thread = new Thread(this::run, "porthole-events-" + environment.id());
        thread.setDaemon(true);
    }

    /** Starts following the events of {@code environment} into {@code table}. */
    static ContainerWatch start(Environment environment, ContainerTable table, Source source) {
        ContainerWatch watch = new ContainerWatch(environment, table, source);
        watch.thread.start();
        return watch;
    }

    private void run() {
        Duration pause = FIRST_RETRY;
        while (!closed) {
            inSyncSince = 0;
            try {
                follow();
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (inSyncSince != 0) {
                    log.info("the container events of {} broke off ({}); exec create asks the engine until they are "
                            + "followed again", environment, e.getMessage());
                } else {
                    log.debug("cannot follow the container events of {}: {}", environment, e.toString());
                }
            } finally {
                table.lost();
            }
            // A stream that stayed up a while is reopened soon; one that keeps failing, less and less often.
            if (inSyncSince != 0 && System.nanoTime() - inSyncSince > LAST_RETRY.toNanos()) {
                pause = FIRST_RETRY;
            }
            if (!sleep(pause)) {
                return;
            }
            pause = pause.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : pause.multipliedBy(2);
        }
    }

    /** Follows until the stream ends or fails; sets {@link #inSyncSince} once the table is loaded. */
    private void follow() throws IOException {
        Instant since = source.now();
        try (Events events = source.events(since)) {
            current = events;
            if (closed) {
                return; // close() ran before current was set and could not end this stream
            }
            table.load(source.containers());
            inSyncSince = System.nanoTime();
            log.debug("following the container events of {}", environment);
            for (ContainerEvent event = events.next(); event != null; event = events.next()) {
                table.apply(event);
            }
            if (!closed) {
                log.info("the engine of {} ended its container events; exec create asks the engine until they are "
                        + "followed again", environment);
            }
        } finally {
            current = null;
        }
    }

    private boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Stops following, empties the table, and waits a moment for the thread to end: a servlet container checks for
     * threads left behind as soon as the application stops, and one still running then can no longer load classes.
     * An engine call under way must fail first, which closing the engine's clients before this makes it do.
     */
    @Override
    public void close() {
        closed = true;
        Events events = current;
        if (events != null) {
            events.close();
        }
        thread.interrupt();
        table.lost();
        try {
            thread.join(STOP_PATIENCE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.debug("the container watch of {} is still in an engine call; it ends when that does", environment);
        }
    }
}
