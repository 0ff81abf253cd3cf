package dev.porthole.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NamedThreadsTest {
    @Test
    void joinReturnsOnlyOnceEveryThreadMadeHasEnded() throws Exception {
        NamedThreads factory = new NamedThreads("test-join");
        CountDownLatch release = new CountDownLatch(1);
        // Still on its way out for a while after its work is done, as a pool's last thread is after awaitTermination.
        Thread thread = factory.newThread(() -> {
            await(release);
            sleep(200);
        });
        thread.start();
        release.countDown();
        List<Thread> running = factory.join(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        assertEquals(List.of(), running);
        assertFalse(thread.isAlive());
    }

    @Test
    void joinAnswersTheThreadsStillRunningAtTheDeadline() throws Exception {
        NamedThreads factory = new NamedThreads("test-join");
        CountDownLatch release = new CountDownLatch(1);
        Thread thread = factory.newThread(() -> await(release));
        thread.start();
        try {
            assertEquals(List.of(thread), factory.join(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)));
        } finally {
            release.countDown();
            thread.join();
        }
    }

    @Test
    void threadsAreNamedAfterTheirPoolAndDoNotKeepTheJvmAlive() {
        NamedThreads factory = new NamedThreads("porthole-test");
        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });
        assertEquals("porthole-test-1", first.getName());
        assertEquals("porthole-test-2", second.getName());
        assertTrue(first.isDaemon());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
