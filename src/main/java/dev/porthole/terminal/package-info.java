/**
 * The terminal core: exec instances waiting to be attached, the session object that moves bytes between a client
 * ({@link dev.porthole.terminal.TerminalSink}) and the engine and ends the process when either side goes, and the
 * reaping of its processes. No WebSocket or servlet type: {@code dev.porthole.websocket} is the socket side.
 * Threading rules are in README.md under "Threading".
 */
package dev.porthole.terminal;
