package dev.porthole.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.it.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What permessage-deflate saves and costs, on a Porthole of its own with {@code terminal.compression=true} and a
 * budget no run reaches: the browser-like client with its offer of compression, and without (so the same server
 * sends the same output uncompressed). Bytes on the wire are what the client's TCP connection read; CPU is the
 * server process's user + system time from {@code /proc/<pid>/stat}, far less disturbed by other load than wall time.
 */
final class CompressionFigure {
    /** Typical output: a file tree, system logs, a build-like log, a binary. Each sample is larger than deflate's 32 KiB window. */
    private static final List<String> COMMANDS = List.of(
            "ls -lR / 2>/dev/null",
            "cat /tmp/bench-logs.txt",
            "cat /tmp/bench-build.log",
            "cat /bin/busybox");
    private static final List<String> LABELS = List.of(
            "`ls -lR /` in the container",
            "this machine's `dmesg` and `dpkg.log`",
            "apt's install log (`term.log`, build-like)",
            "`cat` of a binary (busybox)");

    private CompressionFigure() {
    }

    /** Copies the log samples into {@code container}: they are this machine's own, so nothing is invented. */
    static void copySamples(String container, Path dir) throws Exception {
        Path logs = dir.resolve("bench-logs.txt");
        Process dmesg = new ProcessBuilder("dmesg").redirectErrorStream(true).start();
        byte[] kernel = dmesg.getInputStream().readAllBytes();
        dmesg.waitFor();
        Files.write(logs, kernel);
        Files.write(logs, Files.readAllBytes(Path.of("/var/log/dpkg.log")), java.nio.file.StandardOpenOption.APPEND);
        Engine.docker("cp", logs.toString(), container + ":/tmp/bench-logs.txt");
        Engine.docker("cp", "/var/log/apt/term.log", container + ":/tmp/bench-build.log");
    }

    static void measure(BrowserClient client, Report report, Scale scale, String container, long serverPid,
            BenchContainers containers, ServerProbe probe) throws Exception {
        // One unmeasured pass each way first: the JIT's work on a fresh server would be charged to whichever came first.
        wire(client, container, serverPid, 1, true);
        wire(client, container, serverPid, 1, false);
        JsonNode on = wire(client, container, serverPid, scale.compressionBytes(), true);
        JsonNode off = wire(client, container, serverPid, scale.compressionBytes(), false);
        for (int c = 0; c < COMMANDS.size(); c++) {
            JsonNode deflated = on.get("rows").get(c);
            JsonNode plain = off.get("rows").get(c);
            report.add("7. wire bytes per output byte, " + LABELS.get(c) + " (deflate | none)",
                    deflated.get("wireBytes").asDouble() / deflated.get("payloadBytes").asDouble(),
                    plain.get("wireBytes").asDouble() / plain.get("payloadBytes").asDouble(), "", "");
            report.add("7. server CPU per MiB of output, " + LABELS.get(c) + " (deflate | none)",
                    deflated.get("serverCpuMs").asDouble() / (deflated.get("payloadBytes").asDouble() / 1048576),
                    plain.get("serverCpuMs").asDouble() / (plain.get("payloadBytes").asDouble() / 1048576), "ms", "");
        }
        Stats echoOn = client.echo("porthole", true, container, scale.keystrokes(), scale.warmUpKeystrokes());
        Stats echoOff = client.echo("porthole", false, container, scale.keystrokes(), scale.warmUpKeystrokes());
        report.add("7. echo p50 (deflate | none)", echoOn.percentileMillis(50), echoOff.percentileMillis(50), "ms", "");
        report.add("7. echo p99 (deflate | none)", echoOn.percentileMillis(99), echoOff.percentileMillis(99), "ms", "");
        memory(client, report, Math.min(scale.sessions(), 200), containers, probe);
    }

    private static JsonNode wire(BrowserClient client, String container, long serverPid, long minBytes, boolean deflate)
            throws Exception {
        var job = client.job("wire").put("deflate", deflate).put("container", container).put("serverPid", serverPid)
                .put("minBytes", minBytes);
        COMMANDS.forEach(job.withArray("commands")::add);
        JsonNode result = client.run(job);
        String extensions = result.get("extensions").asText();
        if (deflate != extensions.startsWith("permessage-deflate")) {
            throw new IllegalStateException("a socket " + (deflate ? "offering" : "not offering") + " compression got '"
                    + extensions + "'");
        }
        return result;
    }

    /** A phase of the memory figure: {@code n} more shells held open, compressed or not, with output through each or not. */
    private record Phase(String label, boolean deflate, String print) {
    }

    /**
     * Resident memory per socket, compressed or not, at the prompt and after 100 KiB of output through each (a
     * compressor's windows fill as output passes), each phase's shells added to those of the phases before: the
     * first phase grows a fresh server's heap, the later ones compare on a grown one.
     */
    private static void memory(BrowserClient client, Report report, int n, BenchContainers containers, ServerProbe probe)
            throws Exception {
        List<Phase> phases = List.of(
                new Phase("uncompressed, at the prompt, first on the server", false, null),
                new Phase("uncompressed, at the prompt", false, null),
                new Phase("compressed, at the prompt", true, null),
                new Phase("uncompressed, after 100 KiB of output each", false, "seq 1 20000"),
                new Phase("compressed, after 100 KiB of output each", true, "seq 1 20000"));
        List<BrowserClient.Held> held = new java.util.ArrayList<>();
        try {
            long before = probe.snapshot().rssKiB();
            for (Phase phase : phases) {
                var job = BrowserClient.withContainers(client.job("sessions").put("side", "porthole")
                        .put("deflate", phase.deflate()).put("sessions", n), containers.shellContainers());
                if (phase.print() != null) {
                    job.put("print", phase.print());
                }
                BrowserClient.Held h = client.hold(job);
                held.add(h);
                if ((h.compressed() == n) != phase.deflate()) {
                    throw new IllegalStateException(h.compressed() + " of " + n + " sockets compress in phase " + phase.label());
                }
                long now = probe.snapshot().rssKiB();
                report.add("7. server RSS per session, " + n + " more " + phase.label(), (now - before) / (double) n,
                        Double.NaN, "KiB", "");
                before = now;
            }
        } finally {
            for (BrowserClient.Held h : held) {
                h.close();
            }
        }
    }
}
