package dev.porthole.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM the forked server runs on: the benchmark's own by default, or the JDK named by {@code -Dbench.server-java}
 * (its home, or its {@code bin/java}), so that the same WAR can be measured on a newer runtime. Its version is read
 * from that {@code java} itself, since it is what the table must name.
 */
record ServerJava(Path executable, String version) {
    private static final Pattern VERSION = Pattern.compile("java\\.runtime\\.version = (\\S+)");
    private static final Pattern VM = Pattern.compile("java\\.vm\\.name = (.+)");

    /** The runtimes of {@code homes}, a comma list (an empty entry is the benchmark's own); none given: its own. */
    static java.util.List<ServerJava> list(String homes) throws IOException, InterruptedException {
        java.util.List<ServerJava> all = new java.util.ArrayList<>();
        for (String home : (homes == null ? "" : homes).split(",", -1)) {
            all.add(of(home.strip()));
        }
        return all;
    }

    /** "Java 17", "Java 25": the column heading. */
    String feature() {
        return "Java " + version.split("[.+-]")[0];
    }

    static ServerJava of(String home) throws IOException, InterruptedException {
        Path java = home == null || home.isBlank()
                ? Path.of(System.getProperty("java.home"), "bin", "java")
                : Files.isDirectory(Path.of(home)) ? Path.of(home, "bin", "java") : Path.of(home);
        if (!Files.isExecutable(java)) {
            throw new IOException("bench.server-java: no java at " + java);
        }
        Process p = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher version = VERSION.matcher(out);
        Matcher vm = VM.matcher(out);
        String described = (version.find() ? version.group(1) : "unknown version") + (vm.find() ? " (" + vm.group(1).trim() + ")" : "");
        return new ServerJava(java, described);
    }
}
