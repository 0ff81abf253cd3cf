package dev.porthole.app;

import java.security.CodeSource;

/**
 * Names the Jersey and Jackson that this web app actually runs with, and where they were loaded from. An
 * application server may bring its own copies (Payara does) and, depending on class-loader delegation, serve
 * those instead of the WAR's: the startup log then says which, instead of leaving it to a guess.
 */
final class Libraries {
    private Libraries() {
    }

    static String describe() {
        return "Jersey " + version(org.glassfish.jersey.servlet.ServletContainer.class) + " from "
                + origin(org.glassfish.jersey.servlet.ServletContainer.class) + ", Jackson "
                + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION + " from "
                + origin(com.fasterxml.jackson.databind.ObjectMapper.class);
    }

    private static String version(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        return version == null ? "(version unknown)" : version;
    }

    private static String origin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null ? "the server" : source.getLocation().toString();
    }
}
