/**
 * Edge environments: Docker hosts whose unmodified Hawser agent dials out to Porthole over one WebSocket
 * ({@code /api/hawser/connect}), and the engine that carries every Porthole call through that agent. The wire
 * protocol is described in README.md ("Edge environments") and {@link dev.porthole.edge.HawserMessages}.
 */
package dev.porthole.edge;
