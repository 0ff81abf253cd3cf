package dev.porthole.terminal;

import java.util.concurrent.CountDownLatch;

/**
 * Keystrokes wait here until the terminal's first size reached the engine (a command typed at once, such as
 * {@code stty size}, must not see a 0x0 terminal), or the terminal ended. Opens once, for good.
 */
final class InputGate {
    private final CountDownLatch closed = new CountDownLatch(1);

    void open() {
        closed.countDown();
    }

    /** Waits until the gate is open; false when interrupted meanwhile. */
    boolean await() {
        try {
            closed.await();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
