/**
 * The terminal relay: exec instances waiting to be attached, the WebSocket endpoint that attaches them, and the
 * session object that moves bytes between the socket and the engine and ends the process when either side goes.
 * Threading rules are in README.md under "Threading".
 */
package dev.porthole.terminal;
