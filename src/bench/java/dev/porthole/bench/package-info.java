/** The benchmark: each figure measured through Porthole and straight against the engine, in one run. */
package dev.porthole.bench;
