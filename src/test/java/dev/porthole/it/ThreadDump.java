package dev.porthole.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The platform threads of another JVM on this host, read with {@code jcmd PID Thread.print} (the JDK's own tool, next
 * to the {@code java} that runs the tests): which of them run through a class now, by name. A node of a cluster test
 * is its own JVM, and what it runs cannot be seen from the test's.
 */
final class ThreadDump {
    /** One thread: its name, and its stack as the dump printed it. */
    record ThreadStack(String name, String stack) {
    }

    private final List<ThreadStack> threads;

    private ThreadDump(List<ThreadStack> threads) {
        this.threads = threads;
    }

    /** The threads of the JVM {@code pid} now. */
    static ThreadDump of(long pid) {
        String jcmd = ProcessHandle.current().info().command()
                .map(java -> java.replaceFirst("java$", "jcmd")).orElse("jcmd");
        try {
            Process process = new ProcessBuilder(jcmd, Long.toString(pid), "Thread.print").redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("jcmd " + pid + " Thread.print failed: " + out);
            }
            return new ThreadDump(parse(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Each thread's block starts with its quoted name on a line of its own and ends at a blank line. */
    static List<ThreadStack> parse(String dump) {
        List<ThreadStack> found = new ArrayList<>();
        for (String block : dump.split("\\R\\s*\\R")) {
            String trimmed = block.strip();
            int end = trimmed.indexOf('"', 1);
            if (trimmed.startsWith("\"") && end > 0) {
                found.add(new ThreadStack(trimmed.substring(1, end), trimmed));
            }
        }
        return found;
    }

    /** The names of the threads with a frame of {@code className} on their stack. */
    List<String> runningThrough(String className) {
        return threads.stream().filter(thread -> thread.stack().contains("at " + className + "."))
                .map(ThreadStack::name).toList();
    }
}
