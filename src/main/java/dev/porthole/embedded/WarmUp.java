package dev.porthole.embedded;

import dev.porthole.warmup.WarmUpRun;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the web app's warm-up ({@link WarmUpRun}) on a started server that no one can reach yet: through a connector
 * of its own on the loopback address and a port the system picks, removed afterwards. Bounded: a warm-up that
 * fails or takes longer than its time is stopped and logged, and the start goes on, only less warm.
 */
final class WarmUp {
    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
    /** How long a stopped warm-up may take to end what it made: its terminals end in milliseconds. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(15);

    /** What a warm-up did, for the log. */
    record Outcome(boolean done, Duration took, Duration cpu, String failure) {
    }

    private final Duration timeout;
    private final Supplier<Connector> connectors;

    /** {@code connectors} makes a connector like the public one, so that the warm-up runs the same code. */
    WarmUp(Duration timeout, Supplier<Connector> connectors) {
        this.timeout = timeout;
        this.connectors = connectors;
    }

    /** Runs the warm-up {@code context} offers on {@code service}, which must be started; never throws. */
    Outcome run(Service service, Context context) {
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        Object offered = context.getServletContext().getAttribute(WarmUpRun.ATTRIBUTE);
        context.getServletContext().removeAttribute(WarmUpRun.ATTRIBUTE);
        if (!(offered instanceof Consumer<?>)) {
            return outcome(start, cpuStart, "the web app offers none");
        }
        @SuppressWarnings("unchecked")
        Consumer<URI> warmUp = (Consumer<URI>) offered;
        Connector loopback = connectors.get();
        loopback.setPort(0);
        loopback.setProperty("address", "127.0.0.1");
        ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
            Thread run = new Thread(task, "porthole-warm-up-run");
            run.setDaemon(true); // one that would not stop must not keep the JVM from exiting
            return run;
        });
        try {
            service.addConnector(loopback);
            URI base = URI.create("http://127.0.0.1:" + loopback.getLocalPort() + context.getPath() + "/");
            Future<?> running = thread.submit(() -> warmUp.accept(base));
            try {
                running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return outcome(start, cpuStart, null);
            } catch (TimeoutException e) {
                running.cancel(true);
                return outcome(start, cpuStart, "not done within server.warm-up-timeout (" + timeout.toMillis() + " ms)");
            } catch (ExecutionException e) {
                return outcome(start, cpuStart, String.valueOf(e.getCause()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return outcome(start, cpuStart, "interrupted");
        } catch (RuntimeException e) {
            return outcome(start, cpuStart, e.toString());
        } finally {
            end(thread);
            service.removeConnector(loopback);
            try {
                loopback.destroy();
            } catch (LifecycleException e) {
                log.warn("the warm-up's connector did not close cleanly: {}", e.getMessage());
            }
        }
    }

    /** Waits for a stopped warm-up to have ended what it made: its end closes its terminals, engine and token. */
    private static void end(ExecutorService thread) {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(STOP_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("the warm-up did not end within {} s of being stopped", STOP_PATIENCE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Outcome outcome(long start, long cpuStart, String failure) {
        return new Outcome(failure == null, Duration.ofNanos(System.nanoTime() - start),
                Duration.ofNanos(Math.max(0, processCpuNanos() - cpuStart)), failure);
    }

    /** The CPU time of the whole JVM so far, every thread's: what the warm-up costs the machine. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
