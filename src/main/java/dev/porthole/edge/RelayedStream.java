package dev.porthole.edge;

import dev.porthole.docker.AgentGone;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;

/**
 * A terminal run on this node whose agent is connected to another node: its output is polled from the
 * {@link RelayLink}, and its keystrokes, sizes and end go the other way, where a {@link RelayPump} gives them to the
 * agent. That node leaving is the agent going away: the terminal ends as when an agent drops here.
 *
 * <p>Threads: one reader (the terminal's pump); writers are the terminal's input thread and its resizes, one send at a
 * time. The close is the last use of the link from this side: it waits for the reader to leave its poll, sends
 * {@link RelayItems.Signal#CLOSE}, and from then the other node destroys the queues; when that node left, this side
 * destroys them instead. Then it tells its exec, as an {@link AgentExecStream} does: that is how the processes of a
 * terminal whose agent's node left are kept here, to be ended once the agent is back ({@link #connectionOpen()} says
 * so; nobody else knows of them).
 */
final class RelayedStream implements EdgeStream {
    /** How often a blocked read or send looks again whether the stream closed or the other node left. */
    static final Duration LOOK_AGAIN = Duration.ofMillis(500);
    /**
     * How many looks the close waits for room for its last item: the other node drains its queue while it is a
     * member, so a queue still full after this many has nobody reading it, and this side destroys it.
     */
    private static final int CLOSE_LOOKS = 20;
    private static final byte[] NOTHING = new byte[0];

    private final RelayLink link;
    private final String node;
    private final Runnable onClose;
    private final Object reading = new Object();
    private final Object sending = new Object();
    private volatile boolean closed;
    private volatile boolean nodeGone;
    private volatile RelayItems.OutputEnd end;
    /** Guarded by {@code reading}. */
    private byte[] current;
    private int offset;
    /** The part of a client message not sent yet: it goes with the next part, or as the message's last; under {@code sending}. */
    private byte[] held;
    private boolean sendsEnded;

    /** {@code node}: the node the agent is connected to, for the messages; {@code onClose} runs once, at the close. */
    RelayedStream(RelayLink link, String node, Runnable onClose) {
        this.link = link;
        this.node = node;
        this.onClose = onClose;
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        synchronized (reading) {
            while (current == null) {
                if (closed) {
                    return -1;
                }
                RelayItems.OutputEnd ended = end;
                if (ended != null) {
                    if (ended.failure() == null) {
                        return -1;
                    }
                    throw ended.agentGone() ? new AgentGone(ended.failure()) : new IOException(ended.failure());
                }
                Object item;
                try {
                    item = link.poll(LOOK_AGAIN);
                } catch (RelayLink.Gone gone) {
                    throw nodeLeft(gone);
                }
                if (item instanceof byte[] chunk && chunk.length > 0) {
                    current = chunk;
                    offset = 0;
                } else if (item instanceof RelayItems.OutputEnd ending) {
                    end = ending;
                }
            }
            int n = Math.min(buffer.length, current.length - offset);
            System.arraycopy(current, offset, buffer, 0, n);
            offset += n;
            if (offset == current.length) {
                current = null;
            }
            return n;
        }
    }

    /** The node of the agent, or the grid between, is gone: to this terminal, its agent went away. */
    private AgentGone nodeLeft(RelayLink.Gone gone) {
        nodeGone = true;
        return new AgentGone("the terminal's agent is connected to node " + node + ", which is out of reach: "
                + gone.getMessage());
    }

    /** A part of a client message: held until the next part or the message's end, so a keystroke is one item. */
    @Override
    public void write(byte[] bytes) throws IOException {
        synchronized (sending) {
            if (held != null) {
                send(new RelayItems.Input(held, false));
            }
            held = bytes.clone();
        }
    }

    @Override
    public void endOfMessage() throws IOException {
        synchronized (sending) {
            byte[] last = held == null ? NOTHING : held;
            held = null;
            send(new RelayItems.Input(last, true));
        }
    }

    @Override
    public void resize(int cols, int rows) {
        try {
            synchronized (sending) {
                send(new RelayItems.Resize(cols, rows));
            }
        } catch (IOException e) {
            // ended: the size no longer matters
        }
    }

    @Override
    public void endInput() {
        try {
            synchronized (sending) {
                send(RelayItems.Signal.END_INPUT);
            }
        } catch (IOException e) {
            // ended already
        }
    }

    /** Sends {@code item}, waiting while the other node's queue is full; fails once the stream closed. */
    private void send(Serializable item) throws IOException {
        while (true) {
            if (sendsEnded || closed || nodeGone) {
                throw new IOException("the terminal's relayed stream is closed");
            }
            try {
                if (link.offer(item, LOOK_AGAIN)) {
                    return;
                }
            } catch (RelayLink.Gone gone) {
                throw nodeLeft(gone);
            }
        }
    }

    @Override
    public boolean hasEnded() {
        return closed || nodeGone || end != null;
    }

    /** The other node, which holds the agent and ends the processes there if its agent left, is still there. */
    @Override
    public boolean connectionOpen() {
        return !nodeGone;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (reading) {
            current = null; // the reader left its poll: from here this side never polls again
        }
        synchronized (sending) {
            if (sendsEnded) {
                return;
            }
            sendsEnded = true;
            if (!sentClose()) {
                link.destroy(); // the other node left, or reads no more: this side is the last one using them
            }
        }
        onClose.run();
    }

    /** Whether the other node got the close, after which it destroys the queues. */
    private boolean sentClose() {
        if (nodeGone) {
            return false;
        }
        try {
            for (int look = 0; look < CLOSE_LOOKS; look++) {
                if (link.offer(RelayItems.Signal.CLOSE, LOOK_AGAIN)) {
                    return true;
                }
            }
        } catch (RelayLink.Gone gone) {
            nodeGone = true;
        }
        return false;
    }
}
