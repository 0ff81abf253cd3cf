package dev.porthole.bench;

import dev.porthole.it.EngineEvents;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Time to prompt under churn: {@value #CLIENTS} clients each open a terminal, type a command and wait for its output,
 * then close it, every third by dropping its connection without a close frame (a lost network), again and again, one
 * cycle every {@link #PERIOD} per client: the same rate of opens with and without churn, so that the difference is
 * what ending terminals costs the ones starting, and below what saturates this 2-core machine (8 clients opening
 * back to back kept 8 exec starts running and took a second each, engine straight as through Porthole).
 * Half the clients are root, half www-data. Time to prompt runs from the exec create's request to the shell's
 * prompt. Without churn, the same clients open terminals and keep them open, so that no terminal is ended while
 * others start. The engine straight, with the same clients, is the floor; its shells end with {@code exit}, since
 * nothing else would end them. The engine's events count the execs Porthole ran to end the closed terminals' processes.
 *
 * <p>Then a burst, as a person closing many tabs and opening as many: N terminals open, all closed at once, and N
 * opened right after, by the same clients back to back; a refused create (429) is counted and tried again after a
 * second.
 */
final class ChurnFigure {
    static final int CLIENTS = 8;
    /**
     * Half the clients are root, the other half www-data: a terminal's processes are ended as its user, and those of
     * another user (su) need root, so the two cost the engine differently.
     */
    static final List<String> USERS = List.of(DirectEngine.ROOT, "www-data");
    private static final Duration PROMPT = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(120);
    static final Duration PERIOD = Duration.ofSeconds(2);
    /** Cycles per client through Porthole before measuring: a forked server is cold. */
    private static final int WARM_UP = 5;

    /** Opens a terminal of {@code user} by one path, once its prompt arrived. */
    interface Opener {
        BenchTerminal open(String container, String user) throws Exception;
    }

    /** Ends a terminal the way a phase does. */
    private interface Closer {
        void close(BenchTerminal terminal, int cycle);
    }

    /** One phase: every time to prompt, and the creates refused with 429. */
    record Phase(Stats toPrompt, int refused) {
    }

    record Burst(int terminals, int refused, double reopenSeconds, Stats toPrompt, int reapingExecs) {
    }

    record Result(Phase portholeQuiet, Phase portholeChurn, Phase directQuiet, Phase directChurn, int closed,
            int reapingExecs, Burst burst) {
    }

    private ChurnFigure() {
    }

    static Result measure(Opener porthole, Opener direct, BenchContainers containers, int cycles, int burst)
            throws Exception {
        int base = containers.liveProcesses();
        run(porthole, containers, WARM_UP, null, ChurnFigure::closeOrCut);
        settle(containers, base);
        Phase portholeQuiet = quiet(porthole, containers, cycles, base);
        Phase portholeChurn;
        int reaping;
        try (EngineEvents events = EngineEvents.follow(containers.shellContainers())) {
            portholeChurn = run(porthole, containers, cycles, null, ChurnFigure::closeOrCut);
            settle(containers, base);
            events.sync();
            reaping = events.sweeps();
        }
        Phase directQuiet = quiet(direct, containers, cycles, base);
        Phase directChurn = run(direct, containers, cycles, null, (t, cycle) -> t.close());
        settle(containers, base);
        Burst bursted = burst(porthole, containers, burst, base);
        return new Result(portholeQuiet, portholeChurn, directQuiet, directChurn, CLIENTS * cycles, reaping, bursted);
    }

    /** Every third cycle drops the connection; the others close it with a close frame. */
    private static void closeOrCut(BenchTerminal terminal, int cycle) {
        if (cycle % 3 == 0 && terminal instanceof PortholeTerminal cut) {
            cut.abort();
        } else {
            terminal.close();
        }
    }

    /** The clients open terminals and keep them; they are all closed after the phase, and that is not measured. */
    private static Phase quiet(Opener opener, BenchContainers containers, int cycles, int base) throws Exception {
        List<BenchTerminal> open = Collections.synchronizedList(new ArrayList<>());
        try {
            return run(opener, containers, cycles, open, null);
        } finally {
            closeAll(open);
            settle(containers, base);
        }
    }

    /**
     * Each client, {@code cycles} times: open a terminal on its container, type, wait for the answer, then keep it in
     * {@code keep} or end it with {@code closer}.
     */
    private static Phase run(Opener opener, BenchContainers containers, int cycles, List<BenchTerminal> keep,
            Closer closer) throws Exception {
        return run(opener, containers, cycles, keep, closer, PERIOD);
    }

    /** The same, one cycle every {@code period} per client (zero: back to back). */
    private static Phase run(Opener opener, BenchContainers containers, int cycles, List<BenchTerminal> keep,
            Closer closer, Duration period) throws Exception {
        long[] toPrompt = new long[CLIENTS * cycles];
        AtomicInteger refused = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                String container = containers.shells(client);
                String user = USERS.get(client % USERS.size());
                running.add(clients.submit(() -> {
                    long next = System.nanoTime();
                    for (int cycle = 0; cycle < cycles; cycle++) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        next += period.toNanos();
                        long started = System.nanoTime();
                        BenchTerminal terminal = openCounting(opener, container, user, refused);
                        toPrompt[client * cycles + cycle] = terminal.output().matchedAt() - started;
                        terminal.output().expect("c" + client + "-" + (cycle + 1) + "x");
                        terminal.type("echo c" + client + "-$((" + cycle + "+1))x\n");
                        terminal.output().await(PROMPT);
                        if (keep != null) {
                            keep.add(terminal);
                        } else {
                            closer.close(terminal, cycle);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get(30, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        return new Phase(new Stats(toPrompt), refused.get());
    }

    /** Opens a terminal; a create refused with 429 is counted and tried again after a second. */
    private static BenchTerminal openCounting(Opener opener, String container, String user, AtomicInteger refused)
            throws Exception {
        while (true) {
            try {
                return opener.open(container, user);
            } catch (IOException e) {
                if (e.getMessage() == null || !e.getMessage().contains("answered 429")) {
                    throw e;
                }
                refused.incrementAndGet();
                Thread.sleep(1000);
            }
        }
    }

    /** The reaping execs counted are those of both bursts' closes, 2N terminals. */
    private static Burst burst(Opener porthole, BenchContainers containers, int terminals, int base) throws Exception {
        int cycles = Math.max(1, terminals / CLIENTS);
        List<BenchTerminal> first = Collections.synchronizedList(new ArrayList<>());
        List<BenchTerminal> second = Collections.synchronizedList(new ArrayList<>());
        try (EngineEvents events = EngineEvents.follow(containers.shellContainers())) {
            Phase reopened;
            double seconds;
            try {
                run(porthole, containers, cycles, first, null, Duration.ZERO);
                closeAll(first);
                long reopening = System.nanoTime();
                reopened = run(porthole, containers, cycles, second, null, Duration.ZERO);
                seconds = (System.nanoTime() - reopening) / 1e9;
            } finally {
                closeAll(first);
                closeAll(second);
                settle(containers, base);
            }
            events.sync();
            return new Burst(CLIENTS * cycles, reopened.refused(), seconds, reopened.toPrompt(), events.sweeps());
        }
    }

    /** All at once: a direct terminal waits for its shell to exit before it drops its connection. */
    private static void closeAll(List<BenchTerminal> terminals) throws InterruptedException {
        ExecutorService closers = Executors.newFixedThreadPool(32);
        synchronized (terminals) {
            terminals.forEach(t -> closers.execute(t::close));
            terminals.clear();
        }
        closers.shutdown();
        closers.awaitTermination(2, TimeUnit.MINUTES);
    }

    /** Waits until the closed terminals' processes are gone, so that the next phase starts on a quiet engine. */
    private static void settle(BenchContainers containers, int base) throws InterruptedException {
        int live = containers.awaitProcesses(base, SETTLE);
        if (live > base) {
            System.out.println("  note: " + (live - base) + " processes of closed terminals still live after " + SETTLE);
        }
        Thread.sleep(1000);
    }
}
