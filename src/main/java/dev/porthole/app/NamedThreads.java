package dev.porthole.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names the threads of one pool, so that a thread dump says whose they are, and keeps each until it has ended, so
 * that shutdown can wait for it. A pool's {@code awaitTermination} is not enough: it returns once the last task is
 * done, while that task's thread is still on its way out, and a servlet container that looks at that moment reports
 * the thread as left behind by the web app.
 */
final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger();
    /** Every thread made and not yet seen ended; a new one is made only after a pool's idle thread went, so few stay. */
    private final Set<Thread> made = ConcurrentHashMap.newKeySet();

    NamedThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        // TERMINATED, not !isAlive(): a thread made by another caller and not yet started is not alive either.
        made.removeIf(thread -> thread.getState() == Thread.State.TERMINATED);
        Thread thread = new Thread(task, prefix + "-" + next.incrementAndGet());
        thread.setDaemon(true);
        made.add(thread);
        return thread;
    }

    /**
     * Waits until every thread made here has ended, at most until {@code deadline} (a {@link System#nanoTime});
     * answers the threads still running then. Stop the pool first: this only waits.
     */
    List<Thread> join(long deadline) throws InterruptedException {
        List<Thread> running = new ArrayList<>();
        for (Thread thread : made) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
            if (thread.isAlive()) {
                running.add(thread);
            }
        }
        return running;
    }
}
