package dev.porthole.app;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * A thread per task that costs a few KiB rather than a platform thread's stack, where the runtime has virtual
 * threads (Java 21 and later). The WAR is built for Java 17, so they are reached by reflection; on 17 there are
 * none and the caller keeps its platform pool.
 */
final class VirtualThreads {
    private VirtualThreads() {
    }

    /** An executor that starts a named virtual thread per task, if this runtime has them. */
    static Optional<ExecutorService> perTask(String name) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, name + "-", 1L);
            ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
            Method perTask = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
            return Optional.of((ExecutorService) perTask.invoke(null, factory));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
