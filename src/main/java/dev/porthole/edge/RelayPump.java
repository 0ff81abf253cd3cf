package dev.porthole.edge;

import dev.porthole.docker.AgentGone;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The agent's side of a terminal that runs on another node: one thread moves the agent's output into the
 * {@link RelayLink}, blocking while its queue is full, so that the agent's output waits here exactly as it waits for
 * a slow client on one node (see {@link AgentExecStream}); another gives the other node's keystrokes, sizes and end
 * to the agent, in their order. It ends when the other node closes the terminal or leaves the cluster; then the
 * agent's stream is closed (as a terminal's close does on one node) and the queues are destroyed, by this side, which
 * is the last to use them.
 */
final class RelayPump {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RelayPump.class);
    /**
     * The most bytes one output item carries: with the queue's bound ({@code cluster.relay-queue-items}), what a
     * terminal may hold in the grid.
     */
    static final int CHUNK = 16 * 1024;

    private final String execId;
    private final EdgeStream stream;
    private final RelayLink link;
    private final CountDownLatch outputDone = new CountDownLatch(1);
    private volatile boolean closing;

    RelayPump(String execId, EdgeStream stream, RelayLink link) {
        this.execId = execId;
        this.stream = stream;
        this.link = link;
    }

    /** Runs both directions on {@code threads}, each for the life of the terminal. */
    void start(Executor threads) {
        threads.execute(this::pumpOutput);
        threads.execute(this::pumpInput);
    }

    void pumpOutput() {
        try {
            byte[] buffer = new byte[CHUNK];
            RelayItems.OutputEnd end;
            try {
                int n;
                while ((n = stream.read(buffer)) != -1) {
                    if (n > 0 && !send(Arrays.copyOf(buffer, n))) {
                        return;
                    }
                }
                end = new RelayItems.OutputEnd(null, false);
            } catch (AgentGone e) {
                end = new RelayItems.OutputEnd(e.getMessage(), true);
            } catch (IOException e) {
                end = new RelayItems.OutputEnd(e.getMessage(), false);
            }
            send(end);
        } catch (RelayLink.Gone gone) {
            log.debug("relay {}: the terminal's node left: {}", execId, gone.getMessage());
        } finally {
            outputDone.countDown();
        }
    }

    /** Sends {@code item} once the queue has room; false when the terminal closed meanwhile. */
    private boolean send(Serializable item) throws RelayLink.Gone {
        while (!closing) {
            if (link.offer(item, RelayedStream.LOOK_AGAIN)) {
                return true;
            }
        }
        return false;
    }

    void pumpInput() {
        try {
            while (true) {
                Object item = link.poll(RelayedStream.LOOK_AGAIN);
                if (item == RelayItems.Signal.CLOSE) {
                    return;
                }
                give(item);
            }
        } catch (RelayLink.Gone gone) {
            log.debug("relay {}: the terminal's node left: {}", execId, gone.getMessage());
        } catch (RuntimeException e) {
            log.warn("relay {}: the agent's side failed", execId, e);
        } finally {
            end();
        }
    }

    private void give(Object item) {
        try {
            if (item instanceof RelayItems.Input input) {
                stream.write(input.bytes());
                if (input.last()) {
                    stream.endOfMessage();
                }
            } else if (item instanceof RelayItems.Resize resize) {
                stream.resize(resize.cols(), resize.rows());
            } else if (item == RelayItems.Signal.END_INPUT) {
                stream.endInput();
            }
        } catch (IOException ended) {
            // the agent's stream ended: the output side tells the other node
        }
    }

    /** Closes the agent's stream, waits for the output side to stop using the link, and destroys it. */
    private void end() {
        closing = true;
        stream.close();
        try {
            // The output side stops within one look: its read answers at once once the stream closed.
            outputDone.await(RelayedStream.LOOK_AGAIN.toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        link.destroy();
    }
}
