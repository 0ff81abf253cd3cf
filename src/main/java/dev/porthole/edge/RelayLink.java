package dev.porthole.edge;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;

/**
 * One terminal's two bounded, ordered queues between the node that runs the terminal and the node its agent is
 * connected to, seen from one of the two: what it offers goes to the other side, what it polls came from there. A
 * full queue holds the sender (that is the flow control); the other node leaving fails both calls. Only one side
 * destroys the queues, once neither uses them any more: see {@link RelayedStream} and {@link RelayPump}.
 */
public interface RelayLink {
    /** Queues {@code item} for the other side, waiting up to {@code patience} for room; false when there was none. */
    boolean offer(Serializable item, Duration patience) throws Gone;

    /** The next item from the other side, waiting up to {@code patience}; null when none came. */
    Object poll(Duration patience) throws Gone;

    /** Removes both queues from the grid; nothing uses the link after. */
    void destroy();

    /** The other node left the cluster: nothing more comes from it, and nothing sent reaches it. */
    final class Gone extends IOException {
        public Gone(String message) {
            super(message);
        }
    }
}
