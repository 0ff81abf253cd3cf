package dev.porthole.app;

import jakarta.servlet.ServletContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Where the configuration file is, asked of each server's own means in a fixed order, first answer wins: the
 * context parameter {@code porthole.config}, the JNDI environment entry {@code java:comp/env/porthole/config},
 * the system property {@code porthole.config}, the environment variable {@code PORTHOLE_CONFIG}. The most
 * specific place comes first, so one web app's context file beats a setting shared by the whole JVM or host.
 */
final class ConfigLocation {
    static final String PARAMETER = "porthole.config";
    static final String JNDI_NAME = "java:comp/env/porthole/config";
    static final String ENV_VARIABLE = "PORTHOLE_CONFIG";

    private ConfigLocation() {
    }

    static Optional<Path> find(ServletContext context, Map<String, String> env) {
        return present(context.getInitParameter(PARAMETER))
                .or(ConfigLocation::fromJndi)
                .or(() -> present(System.getProperty(PARAMETER)))
                .or(() -> present(env.get(ENV_VARIABLE)))
                .map(Path::of);
    }

    private static Optional<String> fromJndi() {
        try {
            return present((String) new InitialContext().lookup(JNDI_NAME));
        } catch (NamingException | ClassCastException absent) {
            // No naming service (embedded Tomcat without naming), or no such entry: the next place decides.
            return Optional.empty();
        }
    }

    private static Optional<String> present(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
