package dev.porthole.wire;

/**
 * The terminal socket's subprotocols ({@code Sec-WebSocket-Protocol}). A client that asks for none gets output as
 * text frames of whole UTF-8 characters.
 */
public final class Subprotocols {
    /**
     * Output as binary frames carrying the engine's bytes as read: nothing is decoded, so a character may be split
     * between two frames and bytes that are not UTF-8 arrive as they are. Input is the same either way.
     */
    public static final String BINARY = "porthole.binary";

    private Subprotocols() {
    }
}
