package dev.porthole.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many interactive terminals at once: open them all (each counts once its prompt arrived), then let each type one
 * keystroke a second at the prompt, spread evenly over the second, and time every echo. Through Porthole the
 * forked server's threads, heap after a full GC and RSS are read before and at the peak.
 */
final class ManySessionsFigure {
    /** Opens one terminal on a container, by whichever path. */
    interface Opener {
        BenchTerminal open(String container) throws Exception;
    }

    record Result(double openSeconds, Stats echo, long late, ServerProbe.Snapshot base, ServerProbe.Snapshot peak,
            ServerProbe.Snapshot after, Map<String, Integer> pools) {
    }

    private static final int OPENERS = 8;

    private ManySessionsFigure() {
    }

    static Result measure(Opener opener, BenchContainers containers, int sessions, int warmUpSeconds, int loadSeconds,
            ServerProbe probe, String nativeMemoryFile) throws Exception {
        ServerProbe.Snapshot base = probe == null ? null : probe.snapshot();
        if (probe != null && nativeMemoryFile != null) {
            probe.baselineNativeMemory();
        }
        List<BenchTerminal> terminals = Collections.synchronizedList(new ArrayList<>());
        double openSeconds;
        try {
            openSeconds = openAll(opener, containers, sessions, terminals);
            ServerProbe.Snapshot peak = probe == null ? null : probe.snapshot();
            Map<String, Integer> pools = probe == null ? Map.of() : probe.threadsByPool();
            if (probe != null) {
                probe.saveHistogram("histogram-peak.txt");
            }
            if (probe != null && nativeMemoryFile != null) {
                probe.saveNativeMemory(nativeMemoryFile);
            }
            long[] late = new long[1];
            Stats echo = typeUnderLoad(terminals, warmUpSeconds, loadSeconds, late);
            closeAll(terminals);
            ServerProbe.Snapshot after = probe == null ? null : settle(probe, base);
            return new Result(openSeconds, echo, late[0], base, peak, after, pools);
        } finally {
            closeAll(terminals);
        }
    }

    private static double openAll(Opener opener, BenchContainers containers, int sessions, List<BenchTerminal> into)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
        long start = System.nanoTime();
        try {
            List<Future<?>> opened = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                String container = containers.shells(i);
                opened.add(pool.submit(() -> into.add(opener.open(container))));
            }
            for (Future<?> f : opened) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Each terminal types one key a second; an echo not back by the next tick counts as late. The first
     * {@code warmUpSeconds} are not counted: they meet the JIT compiling the keystroke path (see
     * {@link SingleSessionFigures.Echo}).
     */
    private static Stats typeUnderLoad(List<BenchTerminal> terminals, int warmUpSeconds, int seconds, long[] late)
            throws Exception {
        int n = terminals.size();
        ScheduledExecutorService typists = Executors.newScheduledThreadPool(4);
        List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicLong lateCount = new AtomicLong();
        List<ScheduledFuture<?>> ticks = new ArrayList<>();
        List<Typist> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Typist typist = new Typist(terminals.get(i), samples, lateCount);
            all.add(typist);
            ticks.add(typists.scheduleAtFixedRate(typist, i * 1_000_000L / n, 1_000_000, TimeUnit.MICROSECONDS));
        }
        Thread.sleep(warmUpSeconds * 1000L);
        samples.clear();
        lateCount.set(0);
        Thread.sleep(seconds * 1000L);
        ticks.forEach(t -> t.cancel(false));
        typists.shutdown();
        typists.awaitTermination(10, TimeUnit.SECONDS);
        Thread.sleep(1000); // the last echoes
        all.forEach(Typist::collect);
        // Back to an empty prompt line, so the shells end as cleanly as they started.
        for (BenchTerminal t : terminals) {
            t.type("\u0015");
        }
        late[0] = lateCount.get();
        long[] all1 = samples.stream().mapToLong(s -> s[0]).toArray();
        return new Stats(all1);
    }

    /** One terminal's keystrokes: collects the previous echo, then types the next key. */
    private static final class Typist implements Runnable {
        private final BenchTerminal terminal;
        private final List<long[]> samples;
        private final AtomicLong late;
        private long sentAt;
        private int keys;

        Typist(BenchTerminal terminal, List<long[]> samples, AtomicLong late) {
            this.terminal = terminal;
            this.samples = samples;
            this.late = late;
        }

        @Override
        public synchronized void run() {
            collect();
            String key = String.valueOf((char) ('a' + keys++ % 26));
            terminal.output().expect(key);
            sentAt = System.nanoTime();
            try {
                terminal.type(key);
            } catch (Exception e) {
                late.incrementAndGet();
                sentAt = 0;
            }
        }

        synchronized void collect() {
            if (sentAt == 0) {
                return;
            }
            long arrived = terminal.output().matchedAt();
            if (arrived == 0) {
                late.incrementAndGet();
            } else {
                samples.add(new long[] {arrived - sentAt});
            }
            sentAt = 0;
        }
    }

    private static void closeAll(List<BenchTerminal> terminals) {
        // In parallel: a direct terminal waits for its shell to exit before it drops the connection.
        ExecutorService closers = Executors.newFixedThreadPool(32);
        synchronized (terminals) {
            terminals.forEach(t -> closers.execute(t::close));
            terminals.clear();
        }
        closers.shutdown();
        try {
            closers.awaitTermination(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After the close: waits (at most a minute) for the server to let its idle threads go and to finish ending the
     * terminals' processes (their sessions are held until then), then reads it again.
     */
    private static ServerProbe.Snapshot settle(ServerProbe probe, ServerProbe.Snapshot base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (probe.status("Threads") > base.threads() + 5 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }
        while (probe.heapAfterFullGcKiB() > base.heapKiB() + 8 * 1024 && System.nanoTime() < deadline) {
            Thread.sleep(2000);
        }
        return probe.snapshot();
    }
}
