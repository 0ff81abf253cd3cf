package dev.porthole.audit;

import dev.porthole.terminal.Ending;
import dev.porthole.terminal.TerminalObserver;
import dev.porthole.terminal.TerminalSize;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits every terminal: a {@code terminal-start} record when it is attached and a {@code terminal-end} record
 * when it ends, and, if recordings are on, its output in an asciicast file that both records name.
 */
final class TerminalAudit implements TerminalObserver {
    private static final Logger log = LoggerFactory.getLogger(TerminalAudit.class);

    private final AuditLog audit;
    private final Optional<Recordings> recordings;

    TerminalAudit(AuditLog audit, Optional<Recordings> recordings) {
        this.audit = audit;
        this.recordings = recordings;
    }

    @Override
    public Watch started(Terminal terminal) {
        AsciicastRecorder recorder = null;
        if (recordings.isPresent()) {
            try {
                recorder = recordings.get().start(terminal);
            } catch (IOException e) {
                log.error("cannot record terminal {}: {}", terminal.execId(), e.toString());
            }
        }
        String recording = recorder == null ? null : recorder.file().toAbsolutePath().toString();
        Map<String, Object> start = describe("terminal-start", terminal, recording);
        audit.write(start);
        return new AuditedTerminal(terminal, recorder, recording);
    }

    private Map<String, Object> describe(String event, Terminal terminal, String recording) {
        Map<String, Object> r = audit.record(event);
        r.put("execId", terminal.execId());
        r.put("user", terminal.owner());
        r.put("client", terminal.clientAddress());
        r.put("envId", terminal.environmentId());
        r.put("environment", terminal.environmentName());
        r.put("container", terminal.container());
        r.put("shell", terminal.shell());
        r.put("execUser", terminal.user());
        r.put("started", terminal.started().toString());
        if (recording != null) {
            r.put("recording", recording);
        }
        return r;
    }

    /** The watch over one terminal: feeds its recorder and writes the end record. */
    private final class AuditedTerminal implements Watch {
        private final Terminal terminal;
        private final AsciicastRecorder recorder;
        private final String recording;

        AuditedTerminal(Terminal terminal, AsciicastRecorder recorder, String recording) {
            this.terminal = terminal;
            this.recorder = recorder;
            this.recording = recording;
        }

        @Override
        public void output(byte[] bytes, int offset, int length) {
            if (recorder != null) {
                recorder.output(bytes, offset, length);
            }
        }

        @Override
        public void resized(TerminalSize size) {
            if (recorder != null) {
                recorder.resized(size);
            }
        }

        @Override
        public void ended(Ending why, Integer exitCode, long bytesIn, long bytesOut) {
            if (recorder != null) {
                recorder.finish();
            }
            Map<String, Object> end = describe("terminal-end", terminal, recording);
            end.put("ended", Instant.now().toString());
            end.put("reason", why.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            end.put("exitCode", exitCode);
            end.put("bytesIn", bytesIn);
            end.put("bytesOut", bytesOut);
            audit.write(end);
        }
    }
}
