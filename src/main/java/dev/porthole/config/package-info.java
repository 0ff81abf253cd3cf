/** Reads Porthole's one configuration file and the environment variables that override it. */
package dev.porthole.config;
