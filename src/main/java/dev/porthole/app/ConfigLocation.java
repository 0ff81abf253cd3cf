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

    /** The file, and which of the places above named it: an operator who did not expect that place must learn it. */
    private final Path file;
    private final String namedBy;

    private ConfigLocation(String file, String namedBy) {
        this.file = Path.of(file);
        this.namedBy = namedBy;
    }

    static Optional<ConfigLocation> find(ServletContext context, Map<String, String> env) {
        return present(context.getInitParameter(PARAMETER), "the context parameter " + PARAMETER)
                .or(() -> fromJndi().flatMap(name -> present(name, "the JNDI entry " + JNDI_NAME)))
                .or(() -> present(System.getProperty(PARAMETER), "the system property " + PARAMETER))
                .or(() -> present(env.get(ENV_VARIABLE), "the environment variable " + ENV_VARIABLE));
    }

    Path file() {
        return file;
    }

    @Override
    public String toString() {
        return file + " (named by " + namedBy + ")";
    }

    private static Optional<String> fromJndi() {
        try {
            return Optional.ofNullable((String) new InitialContext().lookup(JNDI_NAME));
        } catch (NamingException | ClassCastException absent) {
            // No naming service (embedded Tomcat without naming), or no such entry: the next place decides.
            return Optional.empty();
        }
    }

    private static Optional<ConfigLocation> present(String value, String namedBy) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(new ConfigLocation(value.trim(), namedBy));
    }
}
