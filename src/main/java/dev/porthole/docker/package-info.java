/** The Docker environments Porthole reaches, and the engine calls it makes on them through docker-java. */
package dev.porthole.docker;
