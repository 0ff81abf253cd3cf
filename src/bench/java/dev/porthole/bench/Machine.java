package dev.porthole.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the figures were measured on. */
final class Machine {
    private Machine() {
    }

    static String describe() throws IOException {
        long memKiB = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst().orElse(0);
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("unknown CPU");
        return String.format("%d cores (%s), %.1f GiB memory, %s %s, Java %s", Runtime.getRuntime().availableProcessors(), cpu,
                memKiB / 1024.0 / 1024.0, System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("java.runtime.version"));
    }
}
