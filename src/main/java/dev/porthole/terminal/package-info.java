/**
 * The terminal core: one {@link dev.porthole.terminal.Terminal} per exec id, from its create to its end, in one table
 * ({@link dev.porthole.terminal.Terminals}); the pumps that move its output to a client
 * ({@link dev.porthole.terminal.TerminalSink}); what its end means; the reaping of its processes. A terminal asks the
 * engine about its own process only through the {@link dev.porthole.docker.EngineExec} made at its create. No
 * WebSocket or servlet type: {@code dev.porthole.websocket} is the socket side. Threading rules are in README.md,
 * "Threading".
 */
package dev.porthole.terminal;
