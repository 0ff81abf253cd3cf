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
        JsonNode[] wire = new JsonNode[2];
        for (int i = 0; i < 2; i++) {
            var job = client.job("wire").put("deflate", i == 0).put("container", container).put("serverPid", serverPid)
                    .put("minBytes", scale.compressionBytes());
            COMMANDS.forEach(job.withArray("commands")::add);
            wire[i] = client.run(job);
        }
        if (!wire[0].get("extensions").asText().startsWith("permessage-deflate") || !wire[1].get("extensions").asText().isEmpty()) {
            throw new IllegalStateException("the compression figure's sockets did not negotiate as meant: '"
                    + wire[0].get("extensions").asText() + "' and '" + wire[1].get("extensions").asText() + "'");
        }
        for (int c = 0; c < COMMANDS.size(); c++) {
            JsonNode on = wire[0].get("rows").get(c);
            JsonNode off = wire[1].get("rows").get(c);
            report.add("7. wire bytes per output byte, " + LABELS.get(c) + " (deflate | none)",
                    on.get("wireBytes").asDouble() / on.get("payloadBytes").asDouble(),
                    off.get("wireBytes").asDouble() / off.get("payloadBytes").asDouble(), "", "");
            report.add("7. server CPU per MiB of output, " + LABELS.get(c) + " (deflate | none)",
                    on.get("serverCpuMs").asDouble() / (on.get("payloadBytes").asDouble() / 1048576),
                    off.get("serverCpuMs").asDouble() / (off.get("payloadBytes").asDouble() / 1048576), "ms", "");
        }
        Stats echoOn = client.echo("porthole", true, container, scale.keystrokes(), scale.warmUpKeystrokes());
        Stats echoOff = client.echo("porthole", false, container, scale.keystrokes(), scale.warmUpKeystrokes());
        report.add("7. echo p50 (deflate | none)", echoOn.percentileMillis(50), echoOff.percentileMillis(50), "ms", "");
        report.add("7. echo p99 (deflate | none)", echoOn.percentileMillis(99), echoOff.percentileMillis(99), "ms", "");
        ServerProbe.Snapshot base = probe.snapshot();
        ServerProbe.Snapshot[] peak = new ServerProbe.Snapshot[1];
        JsonNode opened = client.run(BrowserClient.withContainers(client.job("sessions").put("side", "porthole")
                .put("deflate", true).put("sessions", scale.sessions()).put("warmUpSeconds", 0).put("seconds", 1),
                containers.shellContainers()), () -> {
                    try {
                        peak[0] = probe.snapshot();
                        probe.saveHistogram("histogram-peak-compressed.txt");
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot read the server at the peak", e);
                    }
                });
        report.add("7. server RSS per compressed session at its prompt, " + opened.get("compressed").asInt() + " of "
                + scale.sessions(), (peak[0].rssKiB() - base.rssKiB()) / (double) scale.sessions(), Double.NaN, "KiB", "");
    }
}
