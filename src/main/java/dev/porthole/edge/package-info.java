/**
 * Edge environments: Docker hosts whose unmodified Hawser agent dials out to Porthole over one WebSocket
 * ({@code /api/hawser/connect}), and the engine that carries every Porthole call through that agent; a terminal's exec
 * through it is an {@link dev.porthole.edge.EdgeExec}, started by the agent when the client attaches. The wire
 * protocol is described in README.md ("Edge environments") and {@link dev.porthole.edge.HawserMessages}.
 */
package dev.porthole.edge;
