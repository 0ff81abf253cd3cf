/** The server's warm-up: terminals on an engine of its own, driven over loopback as a browser drives them, before anyone else connects. */
package dev.porthole.warmup;
