package dev.porthole.edge;

/**
 * The receiving side of one terminal on an agent connection, keyed by its {@code execId}. Called on the
 * connection's reader thread, so nothing here may block.
 */
interface ExecChannel {
    void ready();

    void output(byte[] bytes);

    /** The agent ended the exec: its process exited, or its stream broke. */
    void ended(String reason);

    /** The agent could not start the exec: {@code error} with this execId as requestId. */
    void failed(String error, String code);

    /** The connection closed under the terminal. */
    void disconnected(String reason);
}
