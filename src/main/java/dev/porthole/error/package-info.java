/** The one table from a failure to its HTTP status and WebSocket close code, and the exception that carries it. */
package dev.porthole.error;
