package dev.porthole.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures as a browser gets them: the browser-like client ({@link BrowserClient}) against Porthole, and the same
 * client straight against the engine in the same run, so that the two differ by Porthole alone. Porthole runs with
 * its default settings, so whether the browser's offer of compression is taken is Porthole's default's choice.
 */
final class BrowserFigures {
    private final BrowserClient client;
    private final Report report;
    private final Scale scale;
    private final String container;

    BrowserFigures(BrowserClient client, Report report, Scale scale, String container) {
        this.client = client;
        this.report = report;
        this.scale = scale;
        this.container = container;
    }

    /**
     * The shell's first keys on a server that has served nothing yet: what the first person after a start meets,
     * with the JIT compiling the keystroke path under their fingers. Must run first on a fresh server.
     */
    void firstKeysOfAFreshServer(ServerProbe probe) throws Exception {
        long cpu0 = probe.cpuMillis(), jit0 = probe.jitCompiles();
        Stats porthole = echo("porthole", scale.keystrokes(), 0);
        long cpu1 = probe.cpuMillis(), jit1 = probe.jitCompiles();
        echo("porthole", scale.keystrokes(), 0); // the next keys, on a server that has met them once
        long cpu2 = probe.cpuMillis(), jit2 = probe.jitCompiles();
        Stats direct = echo("direct", scale.keystrokes(), 0);
        String keys = String.format("%,d", scale.keystrokes());
        report.add("2b. echo p50, first " + keys + " keys of a fresh server, as a browser", porthole.percentileMillis(50),
                direct.percentileMillis(50), "ms", "");
        report.add("2b. echo p99, first " + keys + " keys of a fresh server, as a browser", porthole.percentileMillis(99),
                direct.percentileMillis(99), "ms", "<= direct + 1 ms");
        // CPU time, not wall time: what the JIT adds to the first keys, measurable on a busy machine. The shell's open and
        // close are in both halves alike.
        report.add("2b. server CPU per key, first " + keys + " keys | the next " + keys, (cpu1 - cpu0) / (double) scale.keystrokes(),
                (cpu2 - cpu1) / (double) scale.keystrokes(), "ms", "");
        report.add("2b. methods compiled by the JIT, first " + keys + " keys | the next " + keys, jit1 - jit0, jit2 - jit1, "", "");
    }

    /** From exec create to the prompt: the page's create, resize and attach against the docker CLI's create and start. */
    void timeToPrompt() throws Exception {
        JsonNode r = client.run(client.job("prompt").put("container", container).put("rounds", scale.promptRounds()));
        Stats porthole = BrowserClient.stats(r.get("porthole"));
        Stats direct = BrowserClient.stats(r.get("direct"));
        report.add("0. time to prompt p50 (" + scale.promptRounds() + "), as a browser", porthole.percentileMillis(50),
                direct.percentileMillis(50), "ms", "<= direct + 15 ms");
        report.add("0. time to prompt p99, as a browser", porthole.percentileMillis(99), direct.percentileMillis(99), "ms", "");
        PromptStages stages = new PromptStages();
        stages.add(r);
        report.note("0.: Porthole's time to prompt by stage as the client saw it, p50 ms: " + stages.medians());
    }

    void throughput() throws Exception {
        double[] mibs = new double[2];
        String extensions = "";
        for (int i = 0; i < 2; i++) {
            JsonNode r = client.run(client.job("throughput").put("side", i == 0 ? "porthole" : "direct")
                    .put("container", container).put("bytes", scale.throughputBytes()));
            mibs[i] = scale.throughputBytes() / 1048576.0 / r.get("seconds").asDouble();
            if (i == 0) {
                extensions = r.get("extensions").asText();
            }
        }
        report.add("1. throughput, " + (scale.throughputBytes() >> 20) + " MiB, as a browser", mibs[0], mibs[1], "MiB/s",
                ">= 0.95 of direct");
        report.note("as a browser, the server answered the offer of compression with '" + extensions + "'");
    }

    void echoWarm() throws Exception {
        Stats porthole = echo("porthole", scale.keystrokes(), scale.warmUpKeystrokes());
        Stats direct = echo("direct", scale.keystrokes(), scale.warmUpKeystrokes());
        String label = String.format("(%,d keys after %,d), as a browser", scale.keystrokes(), scale.warmUpKeystrokes());
        report.add("2. echo p50 " + label, porthole.percentileMillis(50), direct.percentileMillis(50), "ms", "<= 1.3 x direct");
        report.add("2. echo p99, as a browser", porthole.percentileMillis(99), direct.percentileMillis(99), "ms", "<= 1.5 x direct");
    }

    /** The echo in Chromium through the page; the direct column is the browser-like client's warm echo of this run. */
    void chromiumEcho(String baseUrl, String user) throws Exception {
        List<ChromiumEcho.Sample> samples = ChromiumEcho.measure(baseUrl, user, container, scale.keystrokes());
        Stats page = millis(samples, ChromiumEcho.Sample::total);
        report.add("2c. echo p50 in Chromium, key event to xterm.js (" + samples.size() + " keys)", page.percentileMillis(50),
                Double.NaN, "ms", "");
        report.add("2c. echo p99 in Chromium, key event to xterm.js", page.percentileMillis(99), Double.NaN, "ms", "");
        Stats toSend = millis(samples, ChromiumEcho.Sample::toSend);
        Stats fromSend = millis(samples, ChromiumEcho.Sample::fromSend);
        report.add("2c. of which key event to the socket's send, p50 | p99", toSend.percentileMillis(50),
                toSend.percentileMillis(99), "ms", "");
        report.add("2c. of which the socket's send to xterm.js, p50 | p99", fromSend.percentileMillis(50),
                fromSend.percentileMillis(99), "ms", "");
        for (boolean draw : new boolean[] {false, true}) {
            List<ChromiumEcho.Sample> control = ChromiumEcho.control(scale.keystrokes(), draw);
            Stats total = millis(control, ChromiumEcho.Sample::total);
            Stats roundTrip = millis(control, ChromiumEcho.Sample::fromSend);
            String kind = draw ? "a page that shows each key" : "a bare page";
            report.add("2c. control: " + kind + " through a plain echo server, key event to message, p50 | p99",
                    total.percentileMillis(50), total.percentileMillis(99), "ms", "");
            report.add("2c. control: " + kind + ", the socket's send to the message, p50 | p99",
                    roundTrip.percentileMillis(50), roundTrip.percentileMillis(99), "ms", "");
        }
    }

    private static Stats millis(List<ChromiumEcho.Sample> samples, ToDoubleFunction<ChromiumEcho.Sample> part) {
        return new Stats(samples.stream().mapToDouble(part).filter(ms -> ms >= 0).mapToLong(ms -> Math.round(ms * 1e6))
                .toArray());
    }

    /**
     * Many shells at 1 key/s through Porthole, read at the peak by {@code probe}, then the same straight from the engine.
     * Run first in a run that measures memory: the server's resident memory per terminal is a fresh server's.
     */
    void sessions(BenchContainers containers, ServerProbe probe, boolean nativeMemory) throws Exception {
        ServerProbe.Snapshot base = probe.snapshot();
        if (nativeMemory) {
            probe.baselineNativeMemory();
        }
        ServerProbe.Snapshot[] peak = new ServerProbe.Snapshot[1];
        JsonNode porthole = client.run(sessionsJob("porthole", containers), () -> {
            try {
                peak[0] = probe.snapshot();
                probe.saveHistogram("histogram-peak-browser.txt");
                if (nativeMemory) {
                    probe.saveNativeMemory("native-memory-peak-browser.txt");
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the server at the peak", e);
            }
        });
        JsonNode direct = client.run(sessionsJob("direct", containers));
        int n = scale.sessions();
        Stats p = BrowserClient.stats(porthole.get("samples"));
        Stats d = BrowserClient.stats(direct.get("samples"));
        report.add("3b. " + n + " sessions: time to open all, as a browser", porthole.get("openSeconds").asDouble(),
                direct.get("openSeconds").asDouble(), "s", "");
        report.add("3b. echo p50 under load, as a browser", p.percentileMillis(50), d.percentileMillis(50), "ms", "<= 1.5 x direct");
        report.add("3b. echo p99 under load, as a browser", p.percentileMillis(99), d.percentileMillis(99), "ms", "<= 1.5 x direct");
        report.add("3b. echoes measured / late, as a browser", p.count() + " / " + porthole.get("late").asLong(),
                d.count() + " / " + direct.get("late").asLong(), "");
        report.add("3b. sockets that compress, as a browser", porthole.get("compressed").asInt() + " of " + n, "-", "");
        report.add("3b. server RSS per session, fresh server, as a browser",
                (peak[0].rssKiB() - base.rssKiB()) / (double) n, Double.NaN, "KiB", "<= 64 KiB");
        report.add("3b. server heap after full GC per session, as a browser",
                (peak[0].heapKiB() - base.heapKiB()) / (double) n, Double.NaN, "KiB", "");
        report.add("3b. server threads per session, as a browser",
                (peak[0].threads() - base.threads()) / (double) n, Double.NaN, "", "no thread per terminal");
    }

    /**
     * Resident memory per terminal alone: {@code sessions} browser-like shells opened on the server, held at their
     * prompts while it is read (after a full collection), then closed. First in a run, it is a fresh server's.
     */
    void memory(BenchContainers containers, ServerProbe probe, boolean nativeMemory) throws Exception {
        ServerProbe.Snapshot base = probe.snapshot();
        if (nativeMemory) {
            probe.baselineNativeMemory();
        }
        ServerProbe.Snapshot peak;
        try (BrowserClient.Held held = client.hold(BrowserClient.withContainers(client.job("sessions")
                .put("side", "porthole").put("sessions", scale.sessions()), containers.shellContainers()))) {
            peak = probe.snapshot();
            probe.saveHistogram("histogram-memory.txt");
            if (nativeMemory) {
                probe.saveNativeMemory("native-memory-memory.txt");
            }
            report.add("3m. sockets that compress, " + scale.sessions() + " browser-like terminals", held.compressed() + "", "-", "");
        }
        int n = scale.sessions();
        report.add("3m. server RSS per terminal, fresh server, as a browser", (peak.rssKiB() - base.rssKiB()) / (double) n,
                Double.NaN, "KiB", "<= 64 KiB");
        report.add("3m. server heap after full GC per terminal, as a browser", (peak.heapKiB() - base.heapKiB()) / (double) n,
                Double.NaN, "KiB", "");
        report.add("3m. server threads per terminal, as a browser", (peak.threads() - base.threads()) / (double) n,
                Double.NaN, "", "no thread per terminal");
        report.add("3m. server RSS before / at the peak", base.rssKiB() / 1024 + " -> " + peak.rssKiB() / 1024 + " MiB", "-", "");
    }

    private ObjectNode sessionsJob(String side, BenchContainers containers) {
        return BrowserClient.withContainers(client.job("sessions").put("side", side).put("sessions", scale.sessions())
                .put("warmUpSeconds", scale.warmUpLoadSeconds()).put("seconds", scale.loadSeconds()),
                containers.shellContainers());
    }

    private Stats echo(String side, int keys, int warmUp) throws Exception {
        return client.echo(side, true, container, keys, warmUp);
    }
}
