/** The HTTP API under {@code /api}: JAX-RS resources that bind a request and make one service call, and the mapping of failures to JSON errors. */
package dev.porthole.api;
