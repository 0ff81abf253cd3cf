package dev.porthole.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metrics as a web app holds them: loaded by a class loader of their own (as Tomcat's web app loader does, with
 * only the JVM's classes above it), used, closed and dropped. After {@link Metrics#close} nothing of the JVM's may
 * still reach that loader, or every redeploy would keep the old copy of the web app in memory.
 */
class MetricsUndeployTest {
    /** What the metrics need on their class path: Porthole's classes, Micrometer, Prometheus, logging. */
    private static final String LIBRARIES = "micrometer|prometheus|HdrHistogram|LatencyUtils|jspecify|slf4j|logback";

    @Test
    void closedMetricsLetTheirClassLoaderGo() throws Exception {
        Loaded loaded = useMetrics();
        close(loaded.metrics());
        WeakReference<ClassLoader> loader = new WeakReference<>(loaded.loader());
        loaded = null;
        assertTrue(collected(loader), "something still holds the class loader of closed metrics");
    }

    /** The check above would see a leak: the GC meters of metrics left open keep their loader alive. */
    @Test
    void metricsLeftOpenPinTheirClassLoader() throws Exception {
        Loaded loaded = useMetrics();
        WeakReference<ClassLoader> loader = new WeakReference<>(loaded.loader());
        Object metrics = loaded.metrics();
        loaded = null;
        try {
            assertFalse(collected(loader), "open metrics should have pinned their class loader: the test above proves nothing");
        } finally {
            close(metrics);
        }
    }

    private record Loaded(ClassLoader loader, Object metrics) {
    }

    /** Makes metrics in a loader of their own, as the web app's thread would, and scrapes them once. */
    private static Loaded useMetrics() throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(Path.of("target/classes").toUri().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().matches("(" + LIBRARIES + ").*\\.jar")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        URLClassLoader loader = new URLClassLoader("web-app", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> type = loader.loadClass(Metrics.class.getName());
            assertTrue(type.getClassLoader() == loader, "the metrics must come from the web app's loader");
            Object metrics = type.getConstructor().newInstance();
            String scraped = (String) type.getMethod("scrape").invoke(metrics);
            assertTrue(scraped.contains("jvm_gc_memory_allocated_bytes_total"), scraped);
            return new Loaded(loader, metrics);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void close(Object metrics) throws Exception {
        metrics.getClass().getMethod("close").invoke(metrics);
    }

    /** Runs the collector until the loader is gone, or gives up after a few full collections. */
    private static boolean collected(WeakReference<ClassLoader> loader) throws InterruptedException {
        for (int i = 0; i < 20 && loader.get() != null; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return loader.get() == null;
    }
}
