/** Several Porthole nodes as one: the embedded data grid (Hazelcast), its membership, and the state the nodes share. */
package dev.porthole.cluster;
