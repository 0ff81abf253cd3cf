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
        Scale scale = Scale.named(System.getProperty("bench.scale", "full"), Integer.getInteger("bench.sessions", 0));
        boolean profile = Boolean.getBoolean("bench.profile");
        int runs = Integer.getInteger("bench.runs", 3);
        String engine = System.getenv().getOrDefault("DOCKER_HOST", "unix:///tmp/porthole-engine/docker.sock");
        Path dir = Path.of("target", "bench", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        Figures figures = Figures.parse(System.getProperty("bench.only"));
        List<ServerJava> javas = ServerJava.list(System.getProperty("bench.server-java"));
        StringBuilder machine = new StringBuilder(Machine.describe()).append("; server on");
        javas.forEach(j -> machine.append(' ').append(j.version()).append(';'));
        System.out.println("Porthole benchmark, scale " + scale.name() + ", " + runs + " run(s) per runtime, each on a fresh"
                + " server" + (profile ? ", profiled" : "") + (figures.all() ? "" : ", only " + figures) + ", on " + machine);
        Report report = new Report();
        long started = System.nanoTime();
        try (BenchContainers containers = BenchContainers.start(figures.needsShells() ? scale.sessionContainers() : 0)) {
            if (figures.includes("compression")) {
                CompressionFigure.copySamples(containers.shells(0), dir.toAbsolutePath());
            }
            for (ServerJava java : javas) {
                report.runtime(java.feature());
                for (int run = 1; run <= runs; run++) {
                    System.out.println("== " + java.feature() + ", run " + run + " of " + runs);
                    Path runDir = dir.resolve(java.feature().replace(' ', '-') + "-run-" + run);
                    measureRun(report, scale, figures, containers, engine, java, runDir, profile);
                }
            }
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        report.note(String.format("run took %.1f min; server files (log, thread dumps, histograms%s) in %s", minutes,
                profile ? ", JFR, NMT" : "", dir));
        String heading = "Scale `" + scale.name() + "`, medians of " + runs + " run(s) (lowest-highest), each on a fresh server"
                + (profile ? " (profiled: JFR + NMT on, figures not comparable)" : "") + ", "
                + LocalDateTime.now().withNano(0) + ", " + machine;
        report.write(dir.resolve("results.md"), heading);
        System.out.println();
        System.out.println(report.markdown(heading));
    }

    /**
     * One run on a fresh server: first what only a fresh server shows (its first keystrokes, then its memory per
     * terminal when only the sessions are measured), then the rest; the compression figure on a server of its own.
     */
    private static void measureRun(Report report, Scale scale, Figures figures, BenchContainers containers,
            String engine, ServerJava java, Path dir, boolean profile) throws Exception {
        try (ForkedServer server = ForkedServer.start(engine, dir.toAbsolutePath(), java, serverJvm(profile, dir))) {
            PortholeClient porthole = new PortholeClient(server.baseUrl()).signIn(ForkedServer.USER, ForkedServer.PASSWORD);
            BrowserClient browser = new BrowserClient(server.baseUrl(), ForkedServer.USER, ForkedServer.PASSWORD, engine);
            DirectEngine direct = new DirectEngine(engine);
            String shellHost = figures.needsShells() ? containers.shells(0) : null;
            BrowserFigures asBrowser = new BrowserFigures(browser, report, scale, shellHost);
            ManySessionsFigure.Opener viaPorthole = c -> porthole.openShell(c, PROMPT);
            ManySessionsFigure.Opener straight = c -> direct.openShell(c, PROMPT);
            ManySessionsFigure.Opener plain = c -> porthole.openPlainShell(c, PROMPT);

            if (figures.includes("fresh")) {
                System.out.println("2b. the first keys of a fresh server, as a browser");
                asBrowser.firstKeysOfAFreshServer(server.probe());
            }
            if (figures.includes("memory")) {
                System.out.println("3m. memory per terminal, " + scale.sessions() + " browser-like terminals held open");
                asBrowser.memory(containers, server.probe(), profile);
            }
            if (figures.includes("sessions")) {
                System.out.println("3b. " + scale.sessions() + " sessions, as a browser");
                asBrowser.sessions(containers, server.probe(), profile);
            }
            if (figures.includes("chromium")) {
                System.out.println("2c. echo in Chromium through the page");
                asBrowser.chromiumEcho(server.baseUrl(), ForkedServer.USER);
            }
            if (figures.includes("prompt")) {
                System.out.println("0. time to prompt, as a browser");
                asBrowser.timeToPrompt();
            }
            if (figures.includes("throughput")) {
                System.out.println("1. output throughput");
                asBrowser.throughput();
                double[] mibs = both(viaPorthole, straight, shellHost,
                        t -> SingleSessionFigures.throughputMiBs(t, scale.throughputBytes()));
                report.add("1. throughput, " + (scale.throughputBytes() >> 20) + " MiB, JDK client", mibs[0], mibs[1], "MiB/s", ">= 0.95 of direct");
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
                asBrowser.echoWarm();
                SingleSessionFigures.Echo[] echo = new SingleSessionFigures.Echo[2];
                both(viaPorthole, straight, shellHost, t -> {
                    SingleSessionFigures.Echo e = SingleSessionFigures.echo(t, scale.keystrokes(), scale.warmUpKeystrokes());
                    echo[echo[0] == null ? 0 : 1] = e;
                    return 0;
                });
                report.add("2. echo p50 (" + scale.keystrokes() + " keys after " + scale.warmUpKeystrokes() + "), JDK client",
                        echo[0].warm().percentileMillis(50), echo[1].warm().percentileMillis(50), "ms", "");
                report.add("2. echo p99, JDK client", echo[0].warm().percentileMillis(99), echo[1].warm().percentileMillis(99), "ms", "");
                report.add("2. echo max, JDK client", echo[0].warm().maxMillis(), echo[1].warm().maxMillis(), "ms", "");
                report.add("2. echo p99, the shell's first " + scale.keystrokes() + " keys, JDK client", echo[0].firstKeys().percentileMillis(99),
                        echo[1].firstKeys().percentileMillis(99), "ms", "");
                SingleSessionFigures.Echo[] plainEcho = new SingleSessionFigures.Echo[2];
                both(plain, straight, shellHost, t -> {
                    SingleSessionFigures.Echo e = SingleSessionFigures.echo(t, scale.keystrokes(), scale.warmUpKeystrokes());
                    plainEcho[plainEcho[0] == null ? 0 : 1] = e;
                    return 0;
                });
                report.add("2. echo p50, plain WebSocket client", plainEcho[0].warm().percentileMillis(50), plainEcho[1].warm().percentileMillis(50), "ms", "");
                report.add("2. echo p99, plain WebSocket client", plainEcho[0].warm().percentileMillis(99), plainEcho[1].warm().percentileMillis(99), "ms", "");
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
                report.add("4. floor: GET /api/auth/session p50", create.floor().percentileMillis(50),
                        create.direct().percentileMillis(50), "ms", "");
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
                System.out.println("3. " + scale.sessions() + " sessions (Porthole, JDK client)");
                ManySessionsFigure.Result many = ManySessionsFigure.measure(viaPorthole, containers, scale.sessions(),
                        scale.warmUpLoadSeconds(), scale.loadSeconds(), server.probe(), null);
                System.out.println("3. " + scale.sessions() + " sessions (direct)");
                ManySessionsFigure.Result manyDirect = ManySessionsFigure.measure(straight, containers, scale.sessions(),
                        scale.warmUpLoadSeconds(), scale.loadSeconds(), null, null);
                reportMany(report, scale, many, manyDirect);
            }
        }
        if (figures.includes("compression")) {
            System.out.println("7. compression, on a server with terminal.compression=true");
            Path compressionDir = dir.resolveSibling(dir.getFileName() + "-compression");
            try (ForkedServer server = ForkedServer.start(engine, compressionDir.toAbsolutePath(), java,
                    serverJvm(false, compressionDir), List.of("terminal.compression=true",
                            "terminal.compression-max-sockets=1000000"))) {
                BrowserClient browser = new BrowserClient(server.baseUrl(), ForkedServer.USER, ForkedServer.PASSWORD, engine);
                CompressionFigure.measure(browser, report, scale, containers.shells(0), server.pid(), containers,
                        server.probe());
            }
        }
        if (figures.includes("cluster")) {
            System.out.println("9. three clustered nodes behind nginx against one node behind it");
            Path clusterDir = dir.resolveSibling(dir.getFileName() + "-cluster");
            ClusterFigure.measure(report, scale, engine, java, serverJvm(false, clusterDir), clusterDir,
                    containers.shells(0));
        }
    }

    private static void reportMany(Report report, Scale scale, ManySessionsFigure.Result many,
            ManySessionsFigure.Result direct) {
        int n = scale.sessions();
        report.add("3. " + n + " sessions: time to open all, JDK client", many.openSeconds(), direct.openSeconds(), "s", "");
        report.add("3. echo p50 under load, JDK client", many.echo().percentileMillis(50), direct.echo().percentileMillis(50), "ms", "");
        report.add("3. echo p99 under load, JDK client", many.echo().percentileMillis(99), direct.echo().percentileMillis(99), "ms", "");
        report.add("3. echoes measured / late (> 1 s), JDK client", many.echo().count() + " / " + many.late(),
                direct.echo().count() + " / " + direct.late(), "");
        report.add("3. server RSS per session, JDK client, after the browser-like sessions",
                (many.peak().rssKiB() - many.base().rssKiB()) / (double) n, Double.NaN, "KiB", "");
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
