package dev.porthole.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a forked server's resources from outside: {@code /proc} for threads and RSS, {@code jcmd} for the heap. */
final class ServerProbe {
    private static final Pattern HEAP_USED = Pattern.compile("heap .*?used (\\d+)K");
    private static final Pattern TOTAL_COMPILES = Pattern.compile("sun\\.ci\\.totalCompiles=(\\d+)");
    private static final Pattern THREAD_NAME = Pattern.compile("^\"([^\"]*)\"", Pattern.MULTILINE);

    private final long pid;
    private final Path dir;

    ServerProbe(long pid, Path dir) {
        this.pid = pid;
        this.dir = dir;
    }

    /** One snapshot of what the server holds. */
    record Snapshot(long threads, long rssKiB, long heapKiB) {
    }

    /** Forces a full collection first, so the heap figure is what is live, not what is garbage yet. */
    Snapshot snapshot() throws IOException, InterruptedException {
        long heap = heapAfterFullGcKiB();
        return new Snapshot(status("Threads"), status("VmRSS"), heap);
    }

    long heapAfterFullGcKiB() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!m.find()) {
            throw new IOException("no heap figure from jcmd GC.heap_info");
        }
        return Long.parseLong(m.group(1));
    }

    long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        throw new IOException("no " + field + " in /proc/" + pid + "/status");
    }

    /**
     * CPU time (user + system) of the whole server, exited threads included, in ms; clock ticks of 10 ms. CPU time,
     * unlike wall time, is little disturbed by other load on the machine.
     */
    long cpuMillis() throws IOException {
        return ticks(Path.of("/proc/" + pid + "/stat")) * 10;
    }

    /**
     * Methods the JIT has compiled so far ({@code sun.ci.totalCompiles}): a count of its work that no other load on the
     * machine changes. (The compiler threads' CPU time cannot be read from outside: idle ones exit, taking theirs.)
     */
    long jitCompiles() throws IOException, InterruptedException {
        Matcher m = TOTAL_COMPILES.matcher(jcmd("PerfCounter.print"));
        if (!m.find()) {
            throw new IOException("no sun.ci.totalCompiles from jcmd PerfCounter.print");
        }
        return Long.parseLong(m.group(1));
    }

    private static long ticks(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(") ") + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
    }

    /** The server's open file descriptors. */
    long openFiles() throws IOException {
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    /** Live Java threads by name with the digits taken out: which pools grow with the sessions. */
    Map<String, Integer> threadsByPool() throws IOException, InterruptedException {
        String dump = jcmd("Thread.print");
        Files.writeString(dir.resolve("threads-" + System.currentTimeMillis() + ".txt"), dump);
        Map<String, Integer> pools = new TreeMap<>();
        Matcher m = THREAD_NAME.matcher(dump);
        while (m.find()) {
            pools.merge(m.group(1).replaceAll("\\d+", "N"), 1, Integer::sum);
        }
        return pools;
    }

    /** Live objects by class at this moment, for where the heap per session goes. */
    void saveHistogram(String name) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(name), jcmd("GC.class_histogram"));
    }

    /** Marks where {@link #saveNativeMemory} counts from; only when the server runs with -XX:NativeMemoryTracking. */
    void baselineNativeMemory() throws IOException, InterruptedException {
        jcmd("VM.native_memory", "baseline");
    }

    /** The JVM's own account of native memory, and its growth since {@link #baselineNativeMemory}. */
    void saveNativeMemory(String name) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(name), jcmd("VM.native_memory", "summary.diff"));
        Files.writeString(dir.resolve(name.replace(".txt", "-smaps.txt")),
                Files.readString(Path.of("/proc/" + pid + "/smaps_rollup")));
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        String[] args = new String[command.length + 2];
        args[0] = "jcmd";
        args[1] = Long.toString(pid);
        System.arraycopy(command, 0, args, 2, command.length);
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
