package dev.porthole.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.terminal.TerminalObserver;
import dev.porthole.terminal.TerminalSize;
import dev.porthole.wire.Utf8StreamDecoder;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records one terminal's output in asciicast v2, which {@code asciinema play} replays: a header line, then one
 * {@code [seconds, "o", text]} line per chunk and {@code [seconds, "r", "COLSxROWS"]} per resize. The header is
 * written at the first event, so that it carries the size when the client set one before any output. Output is
 * decoded as a stream, so a character split between two reads stays whole.
 *
 * <p>Output arrives on a selector or terminal thread, resizes on others: every method is synchronized, and none blocks
 * for long (a buffered local file).
 */
final class AsciicastRecorder {
    private final ObjectMapper json;
    private final Path file;
    private final Writer out;
    private final TerminalObserver.Terminal terminal;
    private final long startNanos = System.nanoTime();
    private final Utf8StreamDecoder decoder = new Utf8StreamDecoder();
    private boolean headerWritten;
    private TerminalSize size = TerminalSize.DEFAULT;
    private boolean failed;

    AsciicastRecorder(ObjectMapper json, Path file, Writer out, TerminalObserver.Terminal terminal) {
        this.json = json;
        this.file = file;
        this.out = out;
        this.terminal = terminal;
    }

    static AsciicastRecorder create(ObjectMapper json, Path file, TerminalObserver.Terminal terminal) throws IOException {
        Files.createDirectories(file.getParent());
        Files.createFile(file, Recordings.PRIVATE);
        return new AsciicastRecorder(json, file, Files.newBufferedWriter(file, StandardCharsets.UTF_8), terminal);
    }

    Path file() {
        return file;
    }

    synchronized void output(byte[] bytes, int offset, int length) {
        String text = decoder.decode(bytes, offset, length);
        if (!text.isEmpty()) {
            event("o", text);
        }
    }

    synchronized void resized(TerminalSize newSize) {
        if (!headerWritten) {
            size = newSize;
            header();
        } else if (!newSize.equals(size)) {
            size = newSize;
            event("r", size.cols() + "x" + size.rows());
        }
    }

    synchronized void finish() {
        String rest = decoder.finish();
        if (!rest.isEmpty()) {
            event("o", rest);
        }
        if (!headerWritten) {
            header();
        }
        try {
            out.close();
        } catch (IOException e) {
            failed = true;
        }
    }

    private void header() {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("version", 2);
        header.put("width", size.cols());
        header.put("height", size.rows());
        header.put("timestamp", terminal.started().getEpochSecond());
        header.put("title", terminal.owner() + " in " + terminal.container() + " on " + terminal.environmentName());
        header.put("env", Map.of("SHELL", terminal.shell(), "TERM", "xterm-256color"));
        headerWritten = true;
        line(header);
    }

    private void event(String type, String data) {
        if (!headerWritten) {
            header();
        }
        // Microseconds are plenty for replay and keep the numbers short.
        double seconds = Math.round((System.nanoTime() - startNanos) / 1000.0) / 1_000_000.0;
        line(List.of(seconds, type, data));
    }

    private void line(Object value) {
        if (failed) {
            return;
        }
        try {
            out.write(json.writeValueAsString(value));
            out.write('\n');
        } catch (IOException e) {
            failed = true; // a full disk ends the recording, never the terminal
        }
    }
}
