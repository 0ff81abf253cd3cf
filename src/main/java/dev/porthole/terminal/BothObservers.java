package dev.porthole.terminal;

import dev.porthole.error.Problem;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Two observers of every terminal, each kept safe from the other's failures. */
record BothObservers(TerminalObserver first, TerminalObserver second) implements TerminalObserver {
    private static final Logger log = LoggerFactory.getLogger(BothObservers.class);

    @Override
    public void execCreated(int environmentId, Duration took, Problem refusal) {
        for (TerminalObserver observer : new TerminalObserver[] {first, second}) {
            try {
                observer.execCreated(environmentId, took, refusal);
            } catch (RuntimeException e) {
                log.warn("terminal observer failed on an exec create", e);
            }
        }
    }

    @Override
    public Watch started(Terminal terminal) {
        Watch one = SafeWatch.start(first, terminal);
        Watch other = SafeWatch.start(second, terminal);
        return new Watch() {
            @Override
            public void input(int length) {
                one.input(length);
                other.input(length);
            }

            @Override
            public void output(byte[] bytes, int offset, int length) {
                one.output(bytes, offset, length);
                other.output(bytes, offset, length);
            }

            @Override
            public void resized(TerminalSize size) {
                one.resized(size);
                other.resized(size);
            }

            @Override
            public void ended(Ending why, Integer exitCode, long bytesIn, long bytesOut) {
                one.ended(why, exitCode, bytesIn, bytesOut);
                other.ended(why, exitCode, bytesIn, bytesOut);
            }
        };
    }
}
