/** The metrics at {@code /api/metrics}: Micrometer meters fed by the terminal, engine and sign-in seams, read by Prometheus. */
package dev.porthole.metrics;
