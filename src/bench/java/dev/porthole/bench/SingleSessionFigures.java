package dev.porthole.bench;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * The figures of one terminal: output throughput, keystroke echo and a paste. Each method runs on an open shell
 * at its prompt and leaves it at a prompt. Markers are written as shell arithmetic ({@code E$((1+1))X} prints
 * {@code E2X}) so that the echo of the typed command can never be mistaken for its result.
 */
final class SingleSessionFigures {
    private SingleSessionFigures() {
    }

    /** MiB/s of {@code bytes} printed by a process, timed from the command's Enter to its last byte. */
    static double throughputMiBs(BenchTerminal t, long bytes) throws Exception {
        Output out = t.output();
        out.expect("E2X");
        long start = System.nanoTime();
        long before = out.total();
        t.type("head -c " + bytes + " /dev/zero | tr '\\0' a; echo E$((1+1))X\n");
        long end = out.await(Duration.ofMinutes(3));
        long received = out.total() - before;
        if (received < bytes) {
            throw new IllegalStateException("only " + received + " of " + bytes + " bytes arrived");
        }
        out.awaitFromStart("# ", Duration.ofSeconds(10));
        return bytes / 1048576.0 / ((end - start) / 1e9);
    }

    /**
     * Round trips of single keystrokes through a process that echoes each byte as it reads it ({@code head -c} on
     * a raw TTY without the TTY's own echo), so every sample crosses the whole path twice.
     */
    static Echo echo(BenchTerminal t, int keystrokes, int warmUp) throws Exception {
        Output out = t.output();
        out.expect("R2Y");
        t.type("stty raw -echo; echo R$((1+1))Y; head -c " + (keystrokes + warmUp) + "; stty sane; echo E$((1+1))X\n");
        out.await(Duration.ofSeconds(10));
        Thread.sleep(50); // let head start reading, so the first keystroke does not wait for it
        long[] samples = new long[keystrokes + warmUp];
        for (int i = 0; i < samples.length; i++) {
            String key = String.valueOf((char) ('a' + i % 26));
            out.expect(key);
            long sent = System.nanoTime();
            t.type(key);
            samples[i] = out.await(Duration.ofSeconds(10)) - sent;
        }
        // The marker may already be here: it follows the last echo at once. Only this figure used this shell.
        out.awaitFromStart("E2X", Duration.ofSeconds(10));
        return new Echo(new Stats(Arrays.copyOfRange(samples, warmUp, samples.length)),
                new Stats(Arrays.copyOf(samples, Math.min(keystrokes, samples.length))));
    }

    /**
     * The keystrokes after the warm-up, and the first ones of the shell. The first thousands of keystrokes of a
     * server meet its JIT compiling their path (C2 compiles a method after some 5,000 to 15,000 calls, and most
     * on this path run once per keystroke); on 2 cores a compiler thread at work delays the hand-offs
     * between the client, Tomcat, the engine and the relay by milliseconds. The warm figure is the one of a
     * server in use; the first keys say what the first person after a start meets.
     */
    record Echo(Stats warm, Stats firstKeys) {
    }

    /** One message of {@code bytes} printable characters; answers the seconds until the container's checksum matched. */
    static double pasteSeconds(BenchTerminal t, int bytes, String file) throws Exception {
        byte[] paste = new byte[bytes];
        Random random = new Random(8);
        for (int i = 0; i < bytes; i++) {
            paste[i] = (byte) (i % 80 == 79 ? '\n' : 0x20 + random.nextInt(0x7f - 0x20));
        }
        String md5 = String.format("%032x", new BigInteger(1, MessageDigest.getInstance("MD5").digest(paste)));
        Output out = t.output();
        out.expect("R2Y");
        // Raw and without echo, -iexten too: the TTY must pass every byte to head untouched.
        t.type("stty raw -echo -iexten; echo R$((1+1))Y; head -c " + bytes + " > " + file + "; stty sane; md5sum "
                + file + "; rm " + file + "\n");
        out.await(Duration.ofSeconds(10));
        out.expect(md5);
        long start = System.nanoTime();
        t.type(new String(paste, StandardCharsets.US_ASCII));
        try {
            long end = out.await(Duration.ofSeconds(60));
            return (end - start) / 1e9;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the paste did not arrive byte-exact (md5 " + md5 + " not printed): "
                    + e.getMessage(), e);
        }
    }
}
