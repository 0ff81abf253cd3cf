package dev.porthole.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.config.Settings;
import dev.porthole.embedded.EmbeddedServer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/porthole.properties} says it lists every key with its default: held to what the code reads. The
 * bootstrap runs for real (in a servlet context that records and ignores what is registered with it), and the
 * embedded start reads its options, from one {@link Settings}; the keys it was asked for, with the defaults the code
 * gave, are then compared with the file's lines. A key added to the code and not to the file fails here.
 */
class ConfigurationKeysTest {
    private static final Path DOCUMENTED = Path.of("deploy/porthole.properties");
    /** {@code key=value}, or a commented-out {@code # key=value}. */
    private static final Pattern LINE = Pattern.compile("#?\\s*([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\\s*=(.*)");
    /** Keys whose default depends on the machine (its cores, the user's home, the configuration's folder): said in words. */
    private static final Set<String> MACHINE_DEFAULTS = Set.of("terminal.output-threads", "auth.users-file",
            "server.work-dir", "security.tokens-file", "audit.file", "audit.recordings-dir");

    private static Map<String, Object> read;

    @BeforeAll
    static void readEveryKey(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("porthole.properties");
        // One environment of each kind, and recordings on, so that the keys read only for them are read too.
        Files.writeString(config, String.join("\n",
                "environments.1.url=unix://" + dir.resolve("no-engine.sock"),
                "environments.2.type=hawser-edge",
                "audit.recordings=true",
                "config.reload-interval=0") + "\n");
        Map<String, Object> attributes = new HashMap<>();
        ServletContext context = fake(ServletContext.class, attributes, config);
        PortholeBootstrap bootstrap = new PortholeBootstrap();
        bootstrap.contextInitialized(new ServletContextEvent(context));
        try {
            Settings settings = (Settings) attributes.get(Settings.class.getName());
            EmbeddedServer.Options.from(settings, Optional.of(config));
            read = new LinkedHashMap<>();
            for (Settings.Read key : settings.keysRead()) {
                read.merge(normalised(key.key()), key.fallback() == null ? NONE : key.fallback(), (a, b) -> a);
            }
        } finally {
            bootstrap.contextDestroyed(new ServletContextEvent(context));
        }
        assertTrue(read.size() > 50, "only " + read.size() + " keys were read: " + read.keySet());
    }

    @Test
    void everyKeyTheCodeReadsIsDocumented() throws IOException {
        Set<String> missing = new TreeSet<>(read.keySet());
        missing.removeAll(documented().keySet());
        assertEquals(Set.of(), missing, "read by the code, missing from " + DOCUMENTED);
    }

    @Test
    void everyDocumentedKeyIsReadByTheCode() throws IOException {
        Set<String> unknown = new TreeSet<>(documented().keySet());
        unknown.removeAll(read.keySet());
        assertEquals(Set.of(), unknown, "in " + DOCUMENTED + " but never read by the code");
    }

    @Test
    void everyDocumentedDefaultIsTheCodes() throws IOException {
        List<String> wrong = new ArrayList<>();
        documented().forEach((key, value) -> {
            Object fallback = read.get(key);
            if (fallback == null || fallback == NONE || MACHINE_DEFAULTS.contains(key)) {
                return;
            }
            if (!same(fallback, value)) {
                wrong.add(key + "=" + value + " (the code's default: " + fallback + ")");
            }
        });
        assertEquals(List.of(), wrong, "defaults in " + DOCUMENTED + " that are not the code's");
    }

    private static boolean same(Object fallback, String documented) {
        try {
            if (fallback instanceof Duration duration) {
                return Settings.duration(documented).equals(duration);
            }
            if (fallback instanceof Integer number) {
                return Integer.parseInt(documented) == number;
            }
            if (fallback instanceof Long number) {
                return Long.parseLong(documented) == number;
            }
            if (fallback instanceof Boolean flag) {
                return documented.equals(flag.toString());
            }
            return documented.equals(fallback);
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /** The first line of each key in the file, environment ids written as N; the value as written, trimmed. */
    private static Map<String, String> documented() throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOCUMENTED)) {
            Matcher m = LINE.matcher(line.trim());
            if (m.matches()) {
                keys.putIfAbsent(normalised(m.group(1)), m.group(2).trim());
            }
        }
        return keys;
    }

    private static String normalised(String key) {
        return key.replaceFirst("^environments\\.\\d+\\.", "environments.N.");
    }

    /** Stands for "no default" in the map of keys read. */
    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "none";
        }
    };

    /**
     * A servlet container's interface that records attributes, names the configuration file, hands out the WebSocket
     * container, and otherwise accepts everything: what the bootstrap registers is not this test's concern.
     */
    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, Map<String, Object> attributes, Path config) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "getInitParameter":
                    return PortholeBootstrap.CONFIG_PARAMETER.equals(args[0]) ? config.toString() : null;
                case "setAttribute":
                    attributes.put((String) args[0], args[1]);
                    return null;
                case "getAttribute":
                    return ServerContainer.class.getName().equals(args[0])
                            ? fake(ServerContainer.class, attributes, config) : attributes.get((String) args[0]);
                case "toString":
                    return "fake " + type.getSimpleName();
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    Class<?> returns = method.getReturnType();
                    if (returns == boolean.class) {
                        return false;
                    }
                    if (returns == int.class) {
                        return 0;
                    }
                    return returns.isInterface() ? fake(returns, attributes, config) : null;
            }
        });
    }
}
