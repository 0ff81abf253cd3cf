/** The composition root: builds every service from the configuration and registers the filter, the API servlet and the terminal endpoint. */
package dev.porthole.app;
