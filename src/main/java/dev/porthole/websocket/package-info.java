/**
 * The terminal's WebSocket side: the endpoint that translates socket events into calls on a terminal, its
 * configurator, the socket as a terminal's client (output frames, close), compression and keepalive. The terminal
 * core ({@code dev.porthole.terminal}) knows nothing of WebSockets; this package is its one way to a browser.
 */
package dev.porthole.websocket;
