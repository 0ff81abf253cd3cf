package dev.porthole.app;

import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.server.spi.ContainerLifecycleListener;

/**
 * Runs a task when the API servlet is destroyed. A servlet container destroys servlets before it expires the
 * sessions of a stopping web app, and expiring sessions would end every terminal as "signed out"; this hook
 * ends them first, as "server is shutting down".
 */
final class EarlyShutdown implements ContainerLifecycleListener {
    private final Runnable task;

    EarlyShutdown(Runnable task) {
        this.task = task;
    }

    @Override
    public void onStartup(Container container) {
    }

    @Override
    public void onReload(Container container) {
    }

    @Override
    public void onShutdown(Container container) {
        task.run();
    }
}
