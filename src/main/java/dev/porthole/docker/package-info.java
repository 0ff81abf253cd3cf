/**
 * The Docker environments Porthole reaches, and the engine calls it makes on them through docker-java. Each
 * environment has one {@link dev.porthole.docker.DockerEngine} for the calls on the environment (containers, ping,
 * short commands); each terminal has one {@link dev.porthole.docker.EngineExec}, made by the engine, for the calls on
 * its own exec instance. Nothing here knows terminals beyond that.
 */
package dev.porthole.docker;
