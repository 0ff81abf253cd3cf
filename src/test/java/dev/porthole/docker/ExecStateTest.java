package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Waiting for an exec's end asks until it ended, and no more often or longer than it was told. */
class ExecStateTest {

    @Test
    void anExecThatEndsIsAskedUntilItEndedAndItsExitCodeAnswered() {
        AtomicInteger asked = new AtomicInteger();
        ExecState state = ExecState.awaitEndIn(() -> asked.incrementAndGet() < 3 ? new ExecState(true, null)
                : new ExecState(false, 7), 100);
        assertFalse(state.running());
        assertEquals(7, state.exitCode());
        assertEquals(3, asked.get());
    }

    @Test
    void anExecThatRunsOnIsAskedTheGivenNumberOfTimes() {
        AtomicInteger asked = new AtomicInteger();
        ExecState state = ExecState.awaitEndIn(() -> {
            asked.incrementAndGet();
            return new ExecState(true, null);
        }, 5);
        assertTrue(state.running());
        assertEquals(5, asked.get());
    }

    @Test
    void aDeadlineAlreadyPastAsksOnce() {
        AtomicInteger asked = new AtomicInteger();
        ExecState state = ExecState.awaitEndBy(() -> {
            asked.incrementAndGet();
            return new ExecState(true, null);
        }, System.nanoTime() - 1);
        assertTrue(state.running());
        assertEquals(1, asked.get());
    }
}
