package dev.porthole.terminal;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An observer's failure must not end a terminal: it is logged, and the relay goes on. */
record SafeWatch(TerminalObserver.Watch watch) implements TerminalObserver.Watch {
    private static final Logger log = LoggerFactory.getLogger(SafeWatch.class);

    static TerminalObserver.Watch start(TerminalObserver observer, TerminalSpec spec) {
        return start(observer, new TerminalObserver.Terminal(spec.id(), spec.environment().id(),
                spec.environment().name(), spec.container(), spec.shell(), spec.user(), spec.owner().name(),
                spec.clientAddress(), Instant.now()));
    }

    static TerminalObserver.Watch start(TerminalObserver observer, TerminalObserver.Terminal terminal) {
        try {
            return new SafeWatch(observer.started(terminal));
        } catch (RuntimeException e) {
            log.warn("terminal observer failed at the start of {}", terminal.execId(), e);
            return TerminalObserver.NONE.started(terminal);
        }
    }

    @Override
    public void input(int length) {
        try {
            watch.input(length);
        } catch (RuntimeException e) {
            log.warn("terminal observer failed on input", e);
        }
    }

    @Override
    public void output(byte[] bytes, int offset, int length) {
        try {
            watch.output(bytes, offset, length);
        } catch (RuntimeException e) {
            log.warn("terminal observer failed on output", e);
        }
    }

    @Override
    public void resized(TerminalSize size) {
        try {
            watch.resized(size);
        } catch (RuntimeException e) {
            log.warn("terminal observer failed on resize", e);
        }
    }

    @Override
    public void ended(Ending why, Integer exitCode, long bytesIn, long bytesOut) {
        try {
            watch.ended(why, exitCode, bytesIn, bytesOut);
        } catch (RuntimeException e) {
            log.warn("terminal observer failed at the end", e);
        }
    }
}
