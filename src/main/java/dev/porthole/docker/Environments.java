package dev.porthole.docker;

import dev.porthole.config.Settings;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The configured environments and one {@link DockerEngine} for each, made on first use and closed with this
 * registry.
 *
 * <p>Without any {@code environments.N.*} setting, environment 1 is the local engine: {@code DOCKER_HOST}, or
 * {@code unix:///var/run/docker.sock}.
 */
public final class Environments implements AutoCloseable {
    private static final String LOCAL_SOCKET = "unix:///var/run/docker.sock";
    private static final Pattern ENV_ID = Pattern.compile("[0-9]{1,9}");

    private final Map<Integer, Environment> environments;
    private final Map<Integer, DockerEngine> engines = new ConcurrentHashMap<>();
    private final int maxStreams;
    private final Duration pingTimeout;

    public Environments(Map<Integer, Environment> environments, int maxStreams, Duration pingTimeout) {
        this.environments = Collections.unmodifiableMap(new LinkedHashMap<>(environments));
        this.maxStreams = maxStreams;
        this.pingTimeout = pingTimeout;
    }

    public static Environments fromSettings(Settings settings, Map<String, String> processEnv) {
        Duration connect = settings.getDuration("docker.connect-timeout", Duration.ofSeconds(5));
        Duration read = settings.getDuration("docker.read-timeout", Duration.ofSeconds(60));
        Map<Integer, Environment> configured = new LinkedHashMap<>();
        for (int id : settings.environmentIds()) {
            String prefix = "environments." + id + ".";
            String url = settings.get(prefix + "url").orElseThrow(
                    () -> new IllegalStateException("configuration " + prefix + "url is missing"));
            configured.put(id, new Environment(id, settings.get(prefix + "name", "environment " + id),
                    dockerHost(url), settings.getDuration(prefix + "connect-timeout", connect),
                    settings.getDuration(prefix + "read-timeout", read)));
        }
        if (configured.isEmpty()) {
            String local = processEnv.getOrDefault("DOCKER_HOST", LOCAL_SOCKET);
            configured.put(1, new Environment(1, "local", dockerHost(local), connect, read));
        }
        return new Environments(configured, settings.getInt("docker.max-streams", 4096),
                settings.getDuration("docker.ping-timeout", Duration.ofSeconds(2)));
    }

    private static URI dockerHost(String url) {
        URI uri = URI.create(url.trim());
        if (!"unix".equals(uri.getScheme()) && !"tcp".equals(uri.getScheme())) {
            throw new IllegalStateException("Docker host " + url + ": only unix:// and tcp:// are supported");
        }
        return uri;
    }

    public Collection<Environment> all() {
        return environments.values();
    }

    /** Parses an {@code envId} query parameter and answers its environment, or 400/404. */
    public Environment require(String envId) {
        if (envId == null || envId.isBlank()) {
            throw PortholeException.badRequest("envId is required");
        }
        // Digits only: parseInt would also take a sign and other scripts' digits, and trim() would drop NUL.
        if (!ENV_ID.matcher(envId).matches()) {
            throw PortholeException.badRequest("envId must be a number, not '" + Printable.of(envId, 40) + "'");
        }
        int id = Integer.parseInt(envId);
        Environment environment = environments.get(id);
        if (environment == null) {
            throw PortholeException.notFound("unknown environment " + id);
        }
        return environment;
    }

    public DockerEngine engine(Environment environment) {
        return engines.computeIfAbsent(environment.id(), id -> new DockerEngine(environment, maxStreams, pingTimeout));
    }

    @Override
    public void close() {
        engines.values().forEach(DockerEngine::close);
        engines.clear();
    }
}
