package dev.porthole.metrics;

import dev.porthole.docker.DockerEngine;
import dev.porthole.security.SecurityEvents;
import dev.porthole.terminal.TerminalObserver;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Porthole's meters and the JVM's in one Prometheus registry of this web app's own (never Micrometer's global
 * one, which would outlive an undeploy). The observers it hands out feed it; {@link #scrape} reads it.
 *
 * <p>{@link #close} leaves nothing behind: the GC meters listen to the JVM's garbage collector beans, which belong
 * to the JVM and would keep this web app's class loader alive after an undeploy; closing removes those listeners.
 * No meter starts a thread.
 */
public final class Metrics implements AutoCloseable {
    /** Prometheus's text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String ENVIRONMENT = "environment";
    static final String OUTCOME = "outcome";
    private static final Logger log = LoggerFactory.getLogger(Metrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final TerminalMeters terminals = new TerminalMeters(registry);
    private final SignInMeters signIns = new SignInMeters(registry);
    private EnvironmentGauges gauges;

    public Metrics() {
        JvmGcMetrics gc = new JvmGcMetrics();
        closeables.add(gc);
        for (MeterBinder binder : new MeterBinder[] {new JvmMemoryMetrics(), gc, new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new JvmInfoMetrics(), new ProcessorMetrics(), new UptimeMetrics(),
                new FileDescriptorMetrics()}) {
            binder.bindTo(registry);
        }
    }

    /** Watches terminals: creates, bytes, endings. */
    public TerminalObserver terminals() {
        return terminals;
    }

    /** Hears failed sign-ins and lockouts. */
    public SecurityEvents signIns() {
        return signIns;
    }

    /** The engine with its calls timed; see {@link TimedEngine}. */
    public DockerEngine timed(DockerEngine engine) {
        return new TimedEngine(engine, registry);
    }

    /** Where the per-environment gauges read their values; until it is given, they have none. */
    public synchronized void count(Census census) {
        this.gauges = new EnvironmentGauges(registry, census);
    }

    /** Every meter, in Prometheus's text format ({@link #CONTENT_TYPE}). */
    public synchronized String scrape() {
        if (gauges != null) {
            gauges.refresh();
        }
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("cannot close {}: {}", closeable, e.toString());
            }
        }
        registry.close();
    }
}
