package dev.porthole.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The kernel's network settings the tests size themselves by (Linux's {@code /proc/sys}); empty elsewhere. */
public final class KernelSettings {
    private KernelSettings() {
    }

    /** Field {@code index} (from 0) of the setting at {@code /proc/sys/PATH}, e.g. {@code net/ipv4/tcp_wmem}. */
    public static OptionalLong field(String path, int index) {
        Path file = Path.of("/proc/sys", path);
        if (!Files.isReadable(file)) {
            return OptionalLong.empty();
        }
        try {
            // Line by line: a file of /proc says it is empty, and a read sized by that gets its first byte only.
            return OptionalLong.of(Long.parseLong(Files.readAllLines(file).get(0).trim().split("\\s+")[index]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
