package dev.porthole.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListedOnlyTest {
    private final List<String> told = new ArrayList<>();
    private final TerminalObserver observer = new TerminalObserver() {
        @Override
        public void execCreated(int environmentId, Duration took, dev.porthole.error.Problem refusal) {
            told.add("created " + environmentId);
        }

        @Override
        public Watch started(Terminal terminal) {
            told.add("started " + terminal.environmentId());
            return new Watch() {
                @Override
                public void input(int length) {
                    told.add("input " + length);
                }

                @Override
                public void ended(Ending why, Integer exitCode, long bytesIn, long bytesOut) {
                    told.add("ended " + terminal.environmentId());
                }
            };
        }
    };

    @Test
    void terminalsOnUnlistedEnvironmentsAreNeverTold() {
        TerminalObserver listed = TerminalObserver.listedOnly(id -> id == 9, observer);
        listed.execCreated(9, Duration.ofMillis(1), null);
        TerminalObserver.Watch unseen = listed.started(terminal(9));
        unseen.input(3);
        unseen.ended(Ending.EXIT, 0, 3, 3);
        assertEquals(List.of(), told);

        listed.execCreated(1, Duration.ofMillis(1), null);
        TerminalObserver.Watch seen = listed.started(terminal(1));
        seen.input(2);
        seen.ended(Ending.EXIT, 0, 2, 2);
        assertEquals(List.of("created 1", "started 1", "input 2", "ended 1"), told);
    }

    private static TerminalObserver.Terminal terminal(int environmentId) {
        return new TerminalObserver.Terminal("e" + environmentId, environmentId, "env", "c", "/bin/sh", "root", "alice",
                "127.0.0.1", Instant.now());
    }
}
