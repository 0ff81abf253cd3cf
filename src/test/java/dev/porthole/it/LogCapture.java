package dev.porthole.it;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the servers in this JVM write to the console, their log, while a test runs, as the lines a reader of that log
 * would see. The console rather than a logger: the web app logs through its own copy of the logging library, out of
 * the test's reach, and what matters is what reaches the log. Close it to stop listening.
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.out;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    public LogCapture() {
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (written) {
                    written.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                synchronized (written) {
                    written.write(bytes, offset, length);
                }
                original.write(bytes, offset, length);
            }
        }, true, StandardCharsets.UTF_8));
    }

    /** Every line written so far, split where a log reader splits them: at line feeds and carriage returns. */
    public List<String> lines() {
        synchronized (written) {
            return written.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** Waits until a line matches {@code wanted} (the server may log a moment after it answered); answers every line so far. */
    public List<String> await(Predicate<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lines;
        while ((lines = lines()).stream().noneMatch(wanted)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such line within " + timeout + " in " + lines);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return lines;
    }

    @Override
    public void close() {
        System.setOut(original);
    }
}
