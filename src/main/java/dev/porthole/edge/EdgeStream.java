package dev.porthole.edge;

import dev.porthole.docker.ExecStream;

/**
 * A terminal's stream through an agent: the agent's own session when the agent is connected to this node
 * ({@link AgentExecStream}), or its bytes relayed from the node it is connected to ({@link RelayedStream}).
 */
interface EdgeStream extends ExecStream {
    /** Sets the size of the terminal, in order with its input. */
    void resize(int cols, int rows);

    /** Whether the stream ended, failed or was closed. */
    boolean hasEnded();

    /**
     * Whether what carries the terminal (the agent connection, or the node that holds it) was still there when the
     * stream closed: when it was not, the processes this node's reaper asked to end may still run.
     */
    boolean connectionOpen();
}
