package dev.porthole.edge;

import java.io.Serializable;

/**
 * What crosses a {@link RelayLink}. Towards the agent's node: {@link Input}, {@link Resize} and the {@link Signal}s,
 * in the order the terminal gave them, in one queue, as an {@link InputSequencer} keeps them on one node. Towards the
 * terminal's node: output as {@code byte[]} chunks (the grid's own serialisation for byte arrays), then one
 * {@link OutputEnd}.
 */
final class RelayItems {
    private RelayItems() {
    }

    /** A part of a client message; {@code last}: the message ends with it, and the agent may send it whole. */
    record Input(byte[] bytes, boolean last) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    record Resize(int cols, int rows) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    enum Signal {
        /** No more keystrokes come. */
        END_INPUT,
        /** The terminal closed its stream: the last item the terminal's node sends. */
        CLOSE
    }

    /**
     * The end of the output: {@code failure} null when the stream ended, else why it failed; {@code agentGone} when
     * that was the agent's connection going away.
     */
    record OutputEnd(String failure, boolean agentGone) implements Serializable {
        private static final long serialVersionUID = 1L;
    }
}
