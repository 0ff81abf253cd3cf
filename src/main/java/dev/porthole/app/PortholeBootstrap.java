package dev.porthole.app;

import dev.porthole.api.ApiApplication;
import dev.porthole.config.Settings;
import dev.porthole.docker.Environments;
import dev.porthole.security.AuthFilter;
import dev.porthole.security.OriginPolicy;
import dev.porthole.security.SignIn;
import dev.porthole.terminal.TerminalObserver;
import dev.porthole.terminal.TerminalOptions;
import dev.porthole.terminal.TerminalRelay;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

    private Environments environments;
    private TerminalRelay relay;
    private ExecutorService relayThreads;
    private ExecutorService engineThreads;
    private ExecutorService pingThreads;
    private ScheduledExecutorService timer;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Map<String, String> env = System.getenv();
        Settings settings = Settings.load(ConfigLocation.find(context, env), env);
        environments = Environments.fromSettings(settings, env);
        relayThreads = Executors.newCachedThreadPool(new NamedThreads("porthole-relay"));
        engineThreads = Executors.newFixedThreadPool(settings.getInt("terminal.engine-threads", 8),
                new NamedThreads("porthole-engine"));
        // At most one ping per terminal is in flight, so this pool grows only with terminals whose peer is gone.
        pingThreads = Executors.newCachedThreadPool(new NamedThreads("porthole-ping"));
        timer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("porthole-timer"));
        relay = new TerminalRelay(environments, TerminalOptions.from(settings), relayThreads, engineThreads, pingThreads, timer,
                TerminalObserver.NONE);

        OriginPolicy origins = new OriginPolicy(settings.get("security.allowed-origins", ""));
        FilterRegistration.Dynamic filter = context.addFilter("porthole-auth", new AuthFilter(origins));
        // Before the container's WebSocket filter, so a refused handshake is answered before any upgrade.
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/api/*");
        filter.setAsyncSupported(true);

        ApiApplication application = new ApiApplication(relay.execService(), new SignIn());
        application.register(new EarlyShutdown(this::endTerminals));
        ServletRegistration.Dynamic api = context.addServlet("porthole-api", new ServletContainer(application));
        api.addMapping("/api/*");
        api.setLoadOnStartup(1);
        api.setAsyncSupported(true);

        context.addListener(relay.signOutListener());
        ServerContainer sockets = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        try {
            sockets.addEndpoint(relay.endpointConfig());
        } catch (DeploymentException e) {
            throw new IllegalStateException("cannot deploy the terminal endpoint", e);
        }
        environments.all().forEach(e -> log.info("{}: {}", e, e.dockerHost()));
        log.info("Porthole started with configuration from {}; {}", settings.source(), Libraries.describe());
    }

    /**
     * Closes every terminal with 1001, lets the engine threads end their processes, then drops every engine
     * connection, which lets the relay threads blocked on them return: nothing is left running afterwards.
     */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (relay != null) {
            endTerminals();
        }
        shutdown(timer, 0);
        shutdown(pingThreads, 0);
        shutdown(engineThreads, 10);
        if (environments != null) {
            environments.close();
        }
        shutdown(relayThreads, 5);
    }

    private void endTerminals() {
        relay.terminals().endAll(1001, "server is shutting down");
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
}
