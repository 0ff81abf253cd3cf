package dev.porthole.app;

import jakarta.ws.rs.Path;
import java.util.List;
import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.server.spi.ContainerLifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explains, in the log right below them, the warnings Jersey writes at every start: "A provider
 * dev.porthole.api.ExecResource registered in SERVER runtime does not implement any provider interfaces ... will be
 * ignored", one per resource. Jersey says that of every resource registered as an object rather than a class (its
 * issue 3700); Porthole registers objects so that each resource gets its services through its constructor, and
 * Jersey serves each of them as a resource all the same. An operator reading the log should not have to look that up.
 */
final class JerseyWarningNote implements ContainerLifecycleListener {
    private static final Logger log = LoggerFactory.getLogger(JerseyWarningNote.class);

    @Override
    public void onStartup(Container container) {
        List<String> resources = container.getConfiguration().getInstances().stream()
                .map(Object::getClass)
                .filter(type -> type.isAnnotationPresent(Path.class))
                .map(Class::getSimpleName)
                .sorted()
                .toList();
        // ASCII only: on Java 17 in a POSIX locale catalina.out writes any other character as '?'
        log.info("Jersey's {} warnings \"A provider dev.porthole.api.* will be ignored\" are harmless: Jersey writes one "
                + "for every resource registered as an object (its issue 3700), and serves these as resources all the "
                + "same: {}", resources.size(), String.join(", ", resources));
    }

    @Override
    public void onReload(Container container) {
    }

    @Override
    public void onShutdown(Container container) {
    }
}
