package dev.porthole.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file of {@code deploy/} as shipped, with only the changes a test names (an address, a port, a path). Each change
 * must find its text exactly once: if the shipped file changes under it, the test fails instead of trying a file
 * that no longer is the one shipped.
 */
public final class ShippedFile {
    private final String name;
    private String text;

    private ShippedFile(String name, String text) {
        this.name = name;
        this.text = text;
    }

    public static ShippedFile read(String name) {
        try {
            return new ShippedFile(name, Files.readString(Path.of("deploy", name), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read deploy/" + name, e);
        }
    }

    /** Replaces the one occurrence of {@code shipped}. */
    public ShippedFile replace(String shipped, String replacement) {
        int at = text.indexOf(shipped);
        if (at < 0 || text.indexOf(shipped, at + 1) >= 0) {
            throw new AssertionError("deploy/" + name + " should hold \"" + shipped + "\" exactly once");
        }
        text = text.substring(0, at) + replacement + text.substring(at + shipped.length());
        return this;
    }

    /** Replaces every occurrence of {@code shipped}, of which there must be at least one. */
    public ShippedFile replaceEvery(String shipped, String replacement) {
        if (!text.contains(shipped)) {
            throw new AssertionError("deploy/" + name + " should hold \"" + shipped + "\"");
        }
        text = text.replace(shipped, replacement);
        return this;
    }

    public String text() {
        return text;
    }

    public Path writeTo(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
