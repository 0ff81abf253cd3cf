package dev.porthole.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 8's benchmark: forks Porthole, creates its own containers on the engine of {@code DOCKER_HOST}, measures each
 * figure through Porthole and straight against the engine in the same run, and prints (and writes to
 * {@code target/bench/<run>/results.md}) one table. Run it with {@code scripts/bench.sh [full|small] [--profile]}.
 */
public final class Benchmark {
    private static final Duration PROMPT = Duration.ofSeconds(30);

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Scale scale = Scale.named(System.getProperty("bench.scale", "full"));
        boolean profile = Boolean.getBoolean("bench.profile");
        String engine = System.getenv().getOrDefault("DOCKER_HOST", "unix:///tmp/porthole-engine/docker.sock");
        Path dir = Path.of("target", "bench", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        Figures figures = Figures.parse(System.getProperty("bench.only"));
        ServerJava serverJava = ServerJava.of(System.getProperty("bench.server-java"));
        String machine = Machine.describe() + "; server on Java " + serverJava.version();
        System.out.println("Porthole benchmark, scale " + scale.name() + (profile ? ", profiled" : "")
                + (figures.all() ? "" : ", only " + figures) + ", on " + machine);
        Report report = new Report();
        long started = System.nanoTime();
        try (BenchContainers containers = BenchContainers.start(figures.needsShells() ? scale.sessionContainers() : 0);
                ForkedServer server = ForkedServer.start(engine, dir.toAbsolutePath(), serverJava, serverJvm(profile, dir))) {
            PortholeClient porthole = new PortholeClient(server.baseUrl()).signIn(ForkedServer.USER, ForkedServer.PASSWORD);
            DirectEngine direct = new DirectEngine(engine);
            String shellHost = figures.needsShells() ? containers.shells(0) : null;
            ManySessionsFigure.Opener viaPorthole = c -> porthole.openShell(c, PROMPT);
            ManySessionsFigure.Opener straight = c -> direct.openShell(c, PROMPT);
            ManySessionsFigure.Opener plain = c -> porthole.openPlainShell(c, PROMPT);

            if (figures.includes("throughput")) {
                System.out.println("1. output throughput");
                double[] mibs = both(viaPorthole, straight, shellHost,
                        t -> SingleSessionFigures.throughputMiBs(t, scale.throughputBytes()));
                report.add("1. throughput, " + (scale.throughputBytes() >> 20) + " MiB", mibs[0], mibs[1], "MiB/s", ">= 0.95 of direct");
                // The same through Porthole on a plain blocking client like the direct one's (see PlainWebSocketTerminal).
                double[] plainMibs = both(plain, straight, shellHost,
                        t -> SingleSessionFigures.throughputMiBs(t, scale.throughputBytes()));
                report.add("1. throughput, plain WebSocket client", plainMibs[0], plainMibs[1], "MiB/s", ">= 0.95 of direct");
            }

            if (figures.includes("proxy")) {
                System.out.println("8. output throughput through nginx");
                ProxyFigure.Result proxied = ProxyFigure.measure(porthole, server.baseUrl(), shellHost,
                        scale.throughputBytes(), 5);
                report.add("8. throughput through nginx (TLS), " + (scale.throughputBytes() >> 20) + " MiB, plain client",
                        proxied.proxied(), proxied.direct(), "MiB/s", ">= 0.90 of Porthole direct");
                report.note("7.: the direct column is Porthole without the proxy, not the engine; medians of 5 runs");
            }

            if (figures.includes("echo")) {
                System.out.println("2. keystroke echo");
                SingleSessionFigures.Echo[] echo = new SingleSessionFigures.Echo[2];
                both(viaPorthole, straight, shellHost, t -> {
                    SingleSessionFigures.Echo e = SingleSessionFigures.echo(t, scale.keystrokes(), scale.warmUpKeystrokes());
                    echo[echo[0] == null ? 0 : 1] = e;
                    return 0;
                });
                report.add("2. echo p50 (" + scale.keystrokes() + " keys after " + scale.warmUpKeystrokes() + ")",
                        echo[0].warm().percentileMillis(50), echo[1].warm().percentileMillis(50), "ms", "");
                report.add("2. echo p99", echo[0].warm().percentileMillis(99), echo[1].warm().percentileMillis(99), "ms", "<= direct + 0.3 ms");
                report.add("2. echo max", echo[0].warm().maxMillis(), echo[1].warm().maxMillis(), "ms", "");
                report.add("2. echo p99, the shell's first " + scale.keystrokes() + " keys", echo[0].firstKeys().percentileMillis(99),
                        echo[1].firstKeys().percentileMillis(99), "ms", "");
                SingleSessionFigures.Echo[] plainEcho = new SingleSessionFigures.Echo[2];
                both(plain, straight, shellHost, t -> {
                    SingleSessionFigures.Echo e = SingleSessionFigures.echo(t, scale.keystrokes(), scale.warmUpKeystrokes());
                    plainEcho[plainEcho[0] == null ? 0 : 1] = e;
                    return 0;
                });
                report.add("2. echo p50, plain WebSocket client", plainEcho[0].warm().percentileMillis(50), plainEcho[1].warm().percentileMillis(50), "ms", "");
                report.add("2. echo p99, plain WebSocket client", plainEcho[0].warm().percentileMillis(99), plainEcho[1].warm().percentileMillis(99), "ms", "<= direct + 0.3 ms");
                report.add("2. echo max, plain WebSocket client", plainEcho[0].warm().maxMillis(), plainEcho[1].warm().maxMillis(), "ms", "");
            }

            if (figures.includes("create")) {
                System.out.println("4. exec create");
                ExecCreateFigure.Result create = ExecCreateFigure.measure(porthole, direct, containers.forCreates(), scale.execCreates());
                report.add("4. exec create p50 (" + scale.execCreates() + ")", create.porthole().percentileMillis(50),
                        create.direct().percentileMillis(50), "ms", "<= 1.5 x direct");
                report.add("4. exec create p99", create.porthole().percentileMillis(99), create.direct().percentileMillis(99), "ms", "");
                // Against the engine's create: what the JDK client adds, and how much of the 1.5x a round trip alone spends.
                report.add("4. exec create p50, JDK HttpClient", create.jdkClient().percentileMillis(50),
                        create.direct().percentileMillis(50), "ms", "");
                report.add("4. exec create p99, JDK HttpClient", create.jdkClient().percentileMillis(99),
                        create.direct().percentileMillis(99), "ms", "");
                report.add("4. floor: GET /api/auth/session p50", create.floor().percentileMillis(50),
                        create.direct().percentileMillis(50), "ms", "");
                report.add("4. floor: GET /api/auth/session p99", create.floor().percentileMillis(99),
                        create.direct().percentileMillis(99), "ms", "");
                report.note("exec create: Porthole closed the keep-alive connection " + create.reopened() + " times");
            }

            if (figures.includes("paste")) {
                System.out.println("5. paste");
                double[] paste = both(viaPorthole, straight, shellHost, t -> SingleSessionFigures.pasteSeconds(t,
                        scale.pasteBytes(), "/tmp/paste-" + System.nanoTime()));
                report.add("5. paste " + (scale.pasteBytes() >> 10) + " KiB in one message, md5 equal", paste[0] * 1000, paste[1] * 1000, "ms", "byte-exact");
            }

            if (figures.includes("slow")) {
                System.out.println("6. slow reader");
                SlowReaderFigure.Result[] slow = new SlowReaderFigure.Result[2];
                try (BenchTerminal t = viaPorthole.open(shellHost)) {
                    slow[0] = SlowReaderFigure.measure(t, scale.slowReaderSeconds(), server.probe());
                }
                try (BenchTerminal t = straight.open(shellHost)) {
                    slow[1] = SlowReaderFigure.measure(t, scale.slowReaderSeconds(), null);
                }
                report.add("6. slow reader " + scale.slowReaderSeconds() + " s: server heap growth (after GC)",
                        slow[0].heapGrowthKiB() + " KiB", "-", "bounded");
                report.add("6. slow reader: server RSS growth", slow[0].rssGrowthKiB() + " KiB", "-", "");
                report.add("6. slow reader: backlog read after resume", slow[0].backlogBytes() / 1024 + " KiB",
                        slow[1].backlogBytes() / 1024 + " KiB", "");
                report.add("6. slow reader: corrupt lines / answer after resume",
                        slow[0].corruptLines() + " / " + Report.format(slow[0].recoverSeconds()) + " s",
                        slow[1].corruptLines() + " / " + Report.format(slow[1].recoverSeconds()) + " s", "0 / continues");
            }

            if (figures.includes("churn")) {
                System.out.println("7. time to prompt under churn");
                ChurnFigure.Result churn = ChurnFigure.measure((c, u) -> porthole.openShell(c, u, PROMPT),
                        (c, u) -> direct.openShell(c, u, PROMPT), containers, scale.churnCycles(),
                        scale.burstTerminals());
                reportChurn(report, churn);
            }

            if (figures.includes("sessions")) {
                System.out.println("3. " + scale.sessions() + " sessions (Porthole)");
                ManySessionsFigure.Result many = ManySessionsFigure.measure(viaPorthole, containers, scale.sessions(),
                        scale.warmUpLoadSeconds(), scale.loadSeconds(), server.probe(), profile ? "native-memory-peak.txt" : null);
                System.out.println("3. " + scale.sessions() + " sessions (direct)");
                ManySessionsFigure.Result manyDirect = ManySessionsFigure.measure(straight, containers, scale.sessions(),
                        scale.warmUpLoadSeconds(), scale.loadSeconds(), null, null);
                reportMany(report, scale, many, manyDirect);
                System.out.println("3. " + scale.sessions() + " sessions (Porthole, plain WebSocket client)");
                ManySessionsFigure.Result manyPlain = ManySessionsFigure.measure(plain, containers, scale.sessions(),
                        scale.warmUpLoadSeconds(), scale.loadSeconds(), null, null);
                report.add("3. echo p50 under load, plain WebSocket client", manyPlain.echo().percentileMillis(50),
                        manyDirect.echo().percentileMillis(50), "ms", "");
                report.add("3. echo p99 under load, plain WebSocket client", manyPlain.echo().percentileMillis(99),
                        manyDirect.echo().percentileMillis(99), "ms", "<= 2.5 ms");
                report.add("3. echoes measured / late (> 1 s), plain WebSocket client",
                        manyPlain.echo().count() + " / " + manyPlain.late(), manyDirect.echo().count() + " / " + manyDirect.late(), "");
            }
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        report.note(String.format("run took %.1f min; server files (log, thread dumps%s) in %s", minutes,
                profile ? ", JFR, NMT" : "", dir));
        String heading = "Scale `" + scale.name() + "`" + (profile ? " (profiled: JFR + NMT on, figures not comparable)" : "")
                + ", " + LocalDateTime.now().withNano(0) + ", " + machine;
        report.write(dir.resolve("results.md"), heading);
        System.out.println();
        System.out.println(report.markdown(heading));
    }

    private static void reportMany(Report report, Scale scale, ManySessionsFigure.Result many,
            ManySessionsFigure.Result direct) {
        int n = scale.sessions();
        report.add("3. " + n + " sessions: time to open all", many.openSeconds(), direct.openSeconds(), "s", "");
        report.add("3. echo p50 under load", many.echo().percentileMillis(50), direct.echo().percentileMillis(50), "ms", "");
        report.add("3. echo p99 under load", many.echo().percentileMillis(99), direct.echo().percentileMillis(99), "ms", "<= 2.5 ms");
        report.add("3. echo max under load", many.echo().maxMillis(), direct.echo().maxMillis(), "ms", "");
        report.add("3. echoes measured / late (> 1 s)", many.echo().count() + " / " + many.late(),
                direct.echo().count() + " / " + direct.late(), "");
        report.add("3. server threads per session",
                perSession(many.peak().threads() - many.base().threads(), n, "") + " (" + many.base().threads() + " -> "
                        + many.peak().threads() + ")", "-", "not 1-2 per session");
        report.add("3. server heap after full GC per session",
                perSession(many.peak().heapKiB() - many.base().heapKiB(), n, " KiB"), "-", "");
        report.add("3. server RSS per session",
                perSession(many.peak().rssKiB() - many.base().rssKiB(), n, " KiB") + " (" + many.base().rssKiB() / 1024
                        + " -> " + many.peak().rssKiB() / 1024 + " MiB)", "-", "<= 64 KiB");
        report.add("3. after closing all: threads, heap, RSS", many.after().threads() + ", " + many.after().heapKiB() / 1024
                + " MiB, " + many.after().rssKiB() / 1024 + " MiB", "-", "back near start");
        List<String> pools = new ArrayList<>();
        for (Map.Entry<String, Integer> e : many.pools().entrySet()) {
            if (e.getValue() >= n / 2) {
                pools.add(e.getKey() + " x" + e.getValue());
            }
        }
        report.note("threads at the peak that grow with the sessions: " + String.join(", ", pools));
    }

    private static void reportChurn(Report report, ChurnFigure.Result churn) {
        String clients = ChurnFigure.CLIENTS + " clients";
        report.add("7. time to prompt p50, " + clients + ", no churn", churn.portholeQuiet().toPrompt().percentileMillis(50),
                churn.directQuiet().toPrompt().percentileMillis(50), "ms", "");
        report.add("7. time to prompt p99, no churn", churn.portholeQuiet().toPrompt().percentileMillis(99),
                churn.directQuiet().toPrompt().percentileMillis(99), "ms", "");
        report.add("7. time to prompt p50 under churn", churn.portholeChurn().toPrompt().percentileMillis(50),
                churn.directChurn().toPrompt().percentileMillis(50), "ms", "");
        report.add("7. time to prompt p99 under churn", churn.portholeChurn().toPrompt().percentileMillis(99),
                churn.directChurn().toPrompt().percentileMillis(99), "ms", "");
        report.add("7. p99 under churn / p99 without", Report.format(churn.portholeChurn().toPrompt().percentileMillis(99)
                / churn.portholeQuiet().toPrompt().percentileMillis(99)), Report.format(churn.directChurn().toPrompt()
                .percentileMillis(99) / churn.directQuiet().toPrompt().percentileMillis(99)), "<= 2");
        report.add("7. reaping execs per closed terminal", Report.format((double) churn.reapingExecs() / churn.closed())
                + " (" + churn.reapingExecs() + " for " + churn.closed() + ")", "0", "<= 1");
        report.add("7. creates refused (429), no churn / churn", churn.portholeQuiet().refused() + " / "
                + churn.portholeChurn().refused(), "-", "0");
        ChurnFigure.Burst burst = churn.burst();
        report.add("7. burst: " + burst.terminals() + " closed at once, " + burst.terminals() + " opened: refused (429)",
                String.valueOf(burst.refused()), "-", "0");
        report.add("7. burst: time to open them / p99 time to prompt", Report.format(burst.reopenSeconds()) + " s / "
                + Report.format(burst.toPrompt().percentileMillis(99)) + " ms", "-", "");
        report.add("7. burst: reaping execs per closed terminal", Report.format(burst.reapingExecs() / (2.0 * burst.terminals()))
                + " (" + burst.reapingExecs() + " for " + 2 * burst.terminals() + ")", "-", "<= 1");
    }

    private static String perSession(long total, int sessions, String unit) {
        return Report.format((double) total / sessions) + unit;
    }

    /** A figure measured on one new shell through Porthole, then on one straight from the engine. */
    private interface OnShell {
        double measure(BenchTerminal terminal) throws Exception;
    }

    private static double[] both(ManySessionsFigure.Opener porthole, ManySessionsFigure.Opener direct, String container,
            OnShell figure) throws Exception {
        double[] values = new double[2];
        try (BenchTerminal t = porthole.open(container)) {
            values[0] = figure.measure(t);
        }
        try (BenchTerminal t = direct.open(container)) {
            values[1] = figure.measure(t);
        }
        return values;
    }

    private static List<String> serverJvm(boolean profile, Path dir) {
        List<String> options = new ArrayList<>(List.of("-Xmx2g"));
        String extra = System.getProperty("bench.server-options", "").strip();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        if (profile) {
            options.add("-XX:StartFlightRecording=filename=" + dir.toAbsolutePath().resolve("server.jfr") + ",settings=profile");
            options.add("-XX:NativeMemoryTracking=summary");
        }
        return options;
    }
}
