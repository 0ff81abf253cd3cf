/**
 * The terminal's wire format, free of server types: the subprotocol that chooses binary output, the stateful UTF-8
 * decoding of text output, and the close reasons a terminal socket ends with. README.md documents the protocol
 * these classes implement.
 */
package dev.porthole.wire;
