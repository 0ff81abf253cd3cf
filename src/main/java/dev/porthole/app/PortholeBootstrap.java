package dev.porthole.app;

import com.fasterxml.jackson.core.util.BufferRecyclers;
import dev.porthole.wire.SocketPaths;
import dev.porthole.api.ApiApplication;
import dev.porthole.api.BodyLimit;
import dev.porthole.audit.Audit;
import dev.porthole.cluster.Cluster;
import dev.porthole.cluster.ClusterOptions;
import dev.porthole.cluster.Grid;
import dev.porthole.cluster.SingleNode;
import dev.porthole.config.ConfigFile;
import dev.porthole.config.Settings;
import dev.porthole.docker.ContainerService;
import dev.porthole.docker.EnvironmentAdmin;
import dev.porthole.docker.EnvironmentConfig;
import dev.porthole.docker.EnvironmentService;
import dev.porthole.docker.Environments;
import dev.porthole.edge.Edge;
import dev.porthole.metrics.Census;
import dev.porthole.metrics.Metrics;
import dev.porthole.error.ErrorPage;
import dev.porthole.security.CredentialEnds;
import dev.porthole.security.Security;
import dev.porthole.security.SecurityEvents;
import dev.porthole.terminal.Close;
import dev.porthole.terminal.Ending;
import dev.porthole.terminal.OutputSelectors;
import dev.porthole.terminal.ShellService;
import dev.porthole.terminal.TerminalObserver;
import dev.porthole.terminal.TerminalOptions;
import dev.porthole.terminal.TerminalRelay;
import dev.porthole.websocket.TerminalSockets;
import dev.porthole.warmup.WarmUpRun;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.servlet.ServletContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops Porthole inside its servlet container. {@link ConfigLocation} finds the configuration file;
 * environment variables override single keys (see {@link Settings}).
 */
public final class PortholeBootstrap implements ServletContextListener {
    public static final String CONFIG_PARAMETER = ConfigLocation.PARAMETER;
    private static final Logger log = LoggerFactory.getLogger(PortholeBootstrap.class);
    /** How long a stop waits for threads to end once their pools were stopped; a thread on its way out takes microseconds. */
    private static final Duration THREAD_END_PATIENCE = Duration.ofSeconds(5);

    private Cluster cluster;
    private Metrics metrics;
    private Environments environments;
    private Audit audit;
    private TerminalRelay relay;
    private ExecutorService terminalThreads;
    private OutputSelectors outputSelectors;
    private ExecutorService engineThreads;
    private ExecutorService pingThreads;
    private ExecutorService probeThreads;
    private ScheduledExecutorService timer;
    private Edge edge;
    private ExecutorService edgeSenders;
    private ScheduledExecutorService edgeTimer;
    /** The factory of every platform thread Porthole starts, so that shutdown can wait for each to have ended. */
    private final List<NamedThreads> threadFactories = new ArrayList<>();

    /**
     * A failure here stops the web app's deployment. Tomcat then says only "One or more listeners failed to start" in
     * the log the operator reads (catalina.out) and puts the cause in another (localhost.DATE.log): Porthole's own
     * log says what went wrong, in one line, where the operator looks.
     */
    @Override
    public void contextInitialized(ServletContextEvent event) {
        try {
            start(event.getServletContext());
        } catch (RuntimeException e) {
            log.error("Porthole did not start: {}", e.getMessage(), e);
            if (cluster != null) {
                cluster.close(); // a node that did not start must not stay a member of the others' grid
            }
            throw e;
        }
        cluster.releaseCallingThread();
    }

    private void start(ServletContext context) {
        JacksonBuffers.track();
        Map<String, String> env = System.getenv();
        Optional<ConfigLocation> location = ConfigLocation.find(context, env);
        if (location.isPresent() && !Files.exists(location.get().file())) {
            throw new IllegalStateException("the configuration file " + location.get() + " does not exist: create it "
                    + "(deploy/porthole.properties lists every key), or name another");
        }
        if (location.isPresent() && !Files.isReadable(location.get().file())) {
            throw new IllegalStateException("the configuration file " + location.get() + " cannot be read by the user "
                    + System.getProperty("user.name") + " that runs the server");
        }
        Optional<Path> configFile = location.map(ConfigLocation::file);
        Settings settings = Settings.load(configFile, env);
        // What this web app runs with, for anything inside it that wants to know (every key read, with its default).
        context.setAttribute(Settings.class.getName(), settings);
        cluster = startCluster(settings);
        metrics = new Metrics();
        // Sends to Hawser agents, one at a time per agent; the edge keeps its own timer so that a slow config
        // reload never delays an agent's keepalive.
        edgeSenders = elastic("porthole-hawser-send");
        edgeTimer = Executors.newSingleThreadScheduledExecutor(named("porthole-hawser-timer"));
        edge = new Edge(settings, edgeSenders, edgeTimer, cluster.agentPlaces());
        environments = Environments.fromSettings(settings, env, edge.engines(), metrics::timed);
        Path dataDirectory = dataDirectory(configFile);
        audit = new Audit(settings, dataDirectory, cluster.nodeName());
        EnvironmentConfig environmentConfig = new EnvironmentConfig(configFile.map(ConfigFile::new), env, environments,
                settings);
        cluster.shareEnvironments(environmentConfig);
        // Each terminal's own work: the exec create that runs behind its answer, the exec start and the first size,
        // and for a stream no selector can watch (TLS, an agent's) the relay, blocked on it for the terminal's life:
        // on Java 21 and later a virtual thread does that for a few KiB, where a platform thread costs its stack (a
        // thousand terminals are a thousand stacks).
        boolean virtual = settings.getBoolean("terminal.virtual-threads", true);
        terminalThreads = perTask("porthole-terminal", virtual);
        // Terminals on plain sockets are read by a few selector threads instead, on any Java; see OutputSelectors.
        outputSelectors = new OutputSelectors(settings.getInt("terminal.output-threads",
                Runtime.getRuntime().availableProcessors()), named("porthole-output"));
        engineThreads = bounded("porthole-engine", settings.getInt("terminal.engine-threads", 16));
        // At most one ping per terminal is in flight, so this pool grows only with terminals whose peer is gone.
        // A keepalive round pings every terminal at once: a thousand of them must not start a thousand platform threads.
        pingThreads = perTask("porthole-ping", virtual);
        timer = Executors.newSingleThreadScheduledExecutor(named("porthole-timer"));
        // Not the engine pool: a dead engine holds a probe for its whole timeout, and resizes must not queue behind it.
        probeThreads = elastic("porthole-probe");
        TerminalOptions terminalOptions = TerminalOptions.from(settings);
        relay = new TerminalRelay(environments, terminalOptions, terminalThreads, outputSelectors, engineThreads, timer,
                TerminalObserver.listedOnly(environments::isUnlisted,
                        TerminalObserver.both(audit.terminals(), metrics.terminals())), cluster.processLedger(),
                cluster.terminals());
        cluster.reapDeadNodes(relay::endProcesses, audit.nodeDeaths());
        TerminalSockets terminalSockets = new TerminalSockets(relay.terminals(), terminalOptions, pingThreads, timer);
        metrics.count(new Census(environments::all, relay::openByEnvironment, relay::waitingByEnvironment,
                edge::agentConnected));
        // Polling, not a WatchService: editors and config managers replace the file, and the TLS files it names
        // change without any event on the configuration's directory.
        Duration reload = settings.getDuration("config.reload-interval", Duration.ofSeconds(2));
        if (configFile.isPresent() && !reload.isZero()) {
            timer.scheduleWithFixedDelay(environmentConfig::reloadIfChanged, reload.toMillis(), reload.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        CredentialEnds ends = (credential, why) -> relay.terminals().endAllOf(credential, switch (why) {
            case SIGNED_OUT -> Ending.SIGNED_OUT;
            case SESSION_EXPIRED -> Ending.SESSION_EXPIRED;
            case TOKEN_REVOKED -> Ending.TOKEN_REVOKED;
        });
        Security security = new Security(settings, environments,
                SecurityEvents.both(audit.securityEvents(), metrics.signIns()), dataDirectory, relay.waitingExecs(),
                cluster.security(ends), ends);
        context.declareRoles(security.roles().toArray(String[]::new));
        FilterRegistration.Dynamic headers = context.addFilter("porthole-headers", security.headers());
        headers.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), false, "/*");
        headers.setAsyncSupported(true);
        FilterRegistration.Dynamic filter = context.addFilter("porthole-auth", security.filter());
        // Before the container's WebSocket filter, so a refused handshake is answered before any upgrade.
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/api/*");
        filter.setAsyncSupported(true);

        // After the auth filter, which lets the agents' handshake through: they authenticate in their first message.
        FilterRegistration.Dynamic agents = context.addFilter("porthole-hawser-handshake", edge.handshakeFilter());
        agents.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, SocketPaths.AGENTS);
        agents.setAsyncSupported(true);

        FilterRegistration.Dynamic bodies = context.addFilter("porthole-body-limit", new BodyLimit());
        bodies.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/api/*");
        bodies.setAsyncSupported(true);

        EnvironmentAdmin environmentAdmin = new EnvironmentAdmin(environmentConfig, environments);
        ApiApplication application = new ApiApplication(relay.execService(), new ShellService(environments),
                new EnvironmentService(environments, probeThreads), environmentAdmin,
                new ContainerService(environments), security.signIn(), security.tokens(), edge.tokens(environmentAdmin),
                metrics, cluster);
        application.register(new EarlyShutdown(this::endTerminals));
        application.register(new JerseyWarningNote());
        ServletRegistration.Dynamic api = context.addServlet("porthole-api", new ServletContainer(application));
        api.addMapping("/api/*");
        api.setLoadOnStartup(1);
        api.setAsyncSupported(true);

        ServletRegistration.Dynamic errors = context.addServlet("porthole-error", new ErrorPage());
        errors.addMapping(ErrorPage.PATH);
        errors.setAsyncSupported(true);

        context.addListener(new SignOutListener(relay.terminals()));
        ServerContainer sockets = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        try {
            sockets.addEndpoint(terminalSockets.endpointConfig());
            sockets.addEndpoint(edge.endpointConfig(environments));
        } catch (DeploymentException e) {
            throw new IllegalStateException("cannot deploy the terminal endpoint", e);
        }
        // For the embedded start, which runs it before anyone can connect. Its terminals stay on this node, in a
        // cluster too: their environment is unlisted (Terminals#shares).
        context.setAttribute(WarmUpRun.ATTRIBUTE, new WarmUpRun(environments, security.tokens(),
                named("porthole-warm-up")));
        environments.announceAll();
        environments.makeEngines();
        log.info("Porthole started with configuration from {}; {}; terminal relays on {} threads, output read by {}",
                settings.source(), Libraries.describe(),
                terminalThreads instanceof ThreadPoolExecutor ? "platform" : "virtual", outputSelectors);
    }

    /**
     * Closes every terminal as going away, lets the engine threads end their processes, then drops every engine
     * connection, which lets the terminal threads blocked on them return: nothing is left running afterwards.
     */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (relay != null) {
            endTerminals();
        }
        shutdown(timer, 0);
        shutdown(pingThreads, 0);
        shutdown(probeThreads, 0);
        shutdown(engineThreads, 10);
        // After the engine threads: the processes of terminals through an agent are ended through that agent.
        if (edge != null) {
            edge.close();
        }
        shutdown(edgeTimer, 0);
        if (environments != null) {
            environments.close();
        }
        if (outputSelectors != null) {
            outputSelectors.close(); // after the environments, which closed the last engine streams
        }
        shutdown(terminalThreads, 5);
        shutdown(edgeSenders, 1);
        if (cluster != null) {
            cluster.close(); // after the terminals ended: their ends are still told to the other nodes
        }
        if (audit != null) {
            audit.close(); // after the terminals' end records
        }
        if (metrics != null) {
            metrics.close();
        }
        awaitThreadsEnded();
        RecordMethodCache.forgetThisWebAppsTypes();
        if (!JacksonBuffers.release()) {
            log.warn("Jackson's per-thread buffers were not tracked, so they keep this web app's classes until each "
                    + "request thread serves its next request; set -D{}=true", BufferRecyclers.SYSTEM_PROPERTY_TRACK_REUSABLE_BUFFERS);
        }
    }

    /**
     * Waits for every platform thread Porthole started to have ended: the container looks for threads left behind as
     * soon as this listener returns. The pools were stopped above, so this waits only for threads on their way out,
     * or for a relay still leaving an engine call that closing its connection made fail.
     */
    private void awaitThreadsEnded() {
        long deadline = System.nanoTime() + THREAD_END_PATIENCE.toNanos();
        List<String> running = new ArrayList<>();
        try {
            for (NamedThreads factory : threadFactories) {
                factory.join(deadline).forEach(thread -> running.add(thread.getName()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!running.isEmpty()) {
            log.warn("threads still running {} s after the stop, which the container may report as left behind: {}",
                    THREAD_END_PATIENCE.toSeconds(), running);
        }
    }

    /**
     * A pool that grows with demand and lets idle threads go after a few seconds rather than the minute of a
     * cached pool: a burst of terminals should not leave hundreds of idle threads behind it.
     */
    private ExecutorService elastic(String name) {
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), named(name));
    }

    /** Virtual threads where the runtime has them and {@code virtual} allows them, else an {@link #elastic} pool. */
    private ExecutorService perTask(String name, boolean virtual) {
        return virtual ? VirtualThreads.perTask(name).orElseGet(() -> elastic(name)) : elastic(name);
    }

    /** At most {@code size} threads, queueing the rest; idle ones go after a few seconds, like the elastic pools. */
    private ExecutorService bounded(String name, int size) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Platform threads named {@code name-N}, which shutdown waits for. */
    private NamedThreads named(String name) {
        NamedThreads factory = new NamedThreads(name);
        threadFactories.add(factory);
        return factory;
    }

    private void endTerminals() {
        relay.terminals().endAll(Close.shutdown());
    }

    private static void shutdown(ExecutorService pool, int graceSeconds) {
        if (pool == null) {
            return;
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** A member of the grid with {@code cluster.enabled=true}; else this node alone, with no grid and no thread. */
    private static Cluster startCluster(Settings settings) {
        ClusterOptions options = ClusterOptions.from(settings);
        if (options.enabled()) {
            return Grid.join(options);
        }
        return new SingleNode(options.nodeName().orElseGet(PortholeBootstrap::hostName));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** Where Porthole keeps what it writes, unless configured otherwise: beside the configuration file, else {@code ~/.porthole}. */
    private static Path dataDirectory(Optional<Path> configFile) {
        return configFile.map(file -> file.toAbsolutePath().getParent())
                .orElse(Path.of(System.getProperty("user.home"), ".porthole"));
    }
}
