package dev.porthole.docker;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.porthole.config.Settings;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One environment as an operator writes it: the {@code environments.N.*} keys of the configuration file, and the
 * body of the admin API. Values are kept as written (timeouts as text, unset ones null, so that they keep following
 * {@code docker.*}); {@link #resolve} checks them and makes the {@link Environment}.
 *
 * <p>TLS files are named by path only: a key's contents never pass through the API, the log or this record.
 *
 * <p>{@code type} {@code hawser-edge} makes an environment whose engine is reached through an agent that dials in
 * (no url); the SHA-256 of its agent token is kept with it, written by the token API and never read from a body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentSpec(Integer id, String name, String url, Tls tls, String apiVersion, String connectTimeout,
        String readTimeout, String type, @JsonIgnore String agentTokenSha256) {
    public static final String EDGE_TYPE = Environment.EDGE_SCHEME;
    private static final java.util.regex.Pattern SHA256_HEX = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    public EnvironmentSpec(Integer id, String name, String url, Tls tls, String apiVersion, String connectTimeout,
            String readTimeout) {
        this(id, name, url, tls, apiVersion, connectTimeout, readTimeout, null, null);
    }

    /** The PEM files of an https environment, by path. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "EnvironmentTls", description = "PEM files by absolute path on the server")
    public record Tls(String ca, String cert, String key, Boolean skipVerify) {
        boolean isEmpty() {
            return ca == null && cert == null && key == null && !Boolean.TRUE.equals(skipVerify);
        }
    }

    /** The defaults an environment falls back to: {@code docker.connect-timeout} and {@code docker.read-timeout}. */
    public record Defaults(Duration connectTimeout, Duration readTimeout) {
        public static Defaults from(Settings settings) {
            return new Defaults(settings.getDuration("docker.connect-timeout", Duration.ofSeconds(5)),
                    settings.getDuration("docker.read-timeout", Duration.ofSeconds(60)));
        }
    }

    static String prefix(int id) {
        return "environments." + id + ".";
    }

    /** Reads {@code environments.id.*}, environment variables included. */
    static EnvironmentSpec read(Settings settings, int id) {
        String p = prefix(id);
        Tls tls = new Tls(settings.get(p + "tls.ca").orElse(null), settings.get(p + "tls.cert").orElse(null),
                settings.get(p + "tls.key").orElse(null),
                settings.get(p + "tls.skip-verify").map(v -> Boolean.parseBoolean(v.trim())).orElse(null));
        return new EnvironmentSpec(id, settings.get(p + "name").orElse(null), settings.get(p + "url").orElse(null),
                tls.isEmpty() ? null : tls, settings.get(p + "api-version").orElse(null),
                settings.get(p + "connect-timeout").orElse(null), settings.get(p + "read-timeout").orElse(null),
                settings.get(p + "type").orElse(null), settings.get(p + "agent-token-sha256").orElse(null));
    }

    /** The same settings under another id. */
    EnvironmentSpec withId(int newId) {
        return new EnvironmentSpec(newId, name, url, tls, apiVersion, connectTimeout, readTimeout, type, agentTokenSha256);
    }

    /** The same settings with another agent token's hash. */
    EnvironmentSpec withAgentTokenSha256(String hash) {
        return new EnvironmentSpec(id, name, url, tls, apiVersion, connectTimeout, readTimeout, type, hash);
    }

    boolean isEdge() {
        return type != null && EDGE_TYPE.equalsIgnoreCase(type.trim());
    }

    /** Checks every value and makes the environment; {@link IllegalArgumentException} names the first bad one. */
    Environment resolve(int envId, Defaults defaults) {
        if (isEdge()) {
            return resolveEdge(envId, defaults);
        }
        if (type != null && !type.isBlank()) {
            throw new IllegalArgumentException("type '" + type + "' is unknown: leave it out (the url says the type) "
                    + "or write " + EDGE_TYPE);
        }
        if (agentTokenSha256 != null) {
            throw new IllegalArgumentException("agent-token-sha256 belongs to a " + EDGE_TYPE + " environment only");
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is missing (unix:///path, tcp://host:port or https://host:port)");
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url '" + url + "' is not a URL");
        }
        TlsFiles files = tls == null || tls.isEmpty() ? null : TlsFiles.of(path(tls.ca()), path(tls.cert()),
                path(tls.key()), Boolean.TRUE.equals(tls.skipVerify()));
        String version = apiVersion == null || apiVersion.isBlank() ? null : apiVersion.trim().replaceFirst("^v", "");
        return new Environment(envId, name == null || name.isBlank() ? "environment " + envId : name.trim(), uri, files,
                version, duration("connect-timeout", connectTimeout, defaults.connectTimeout()),
                duration("read-timeout", readTimeout, defaults.readTimeout()), null);
    }

    private Environment resolveEdge(int envId, Defaults defaults) {
        if (url != null && !url.isBlank() || tls != null && !tls.isEmpty() || apiVersion != null && !apiVersion.isBlank()) {
            throw new IllegalArgumentException("a " + EDGE_TYPE + " environment has no url, tls or api-version: "
                    + "its agent dials in and talks to its own engine");
        }
        String hash = agentTokenSha256 == null || agentTokenSha256.isBlank() ? null : agentTokenSha256.trim();
        if (hash != null && !SHA256_HEX.matcher(hash).matches()) {
            throw new IllegalArgumentException("agent-token-sha256 must be 64 lowercase hex digits");
        }
        return Environment.edge(envId, name == null || name.isBlank() ? "environment " + envId : name.trim(), hash,
                duration("connect-timeout", connectTimeout, defaults.connectTimeout()),
                duration("read-timeout", readTimeout, defaults.readTimeout()));
    }

    /** The configuration file's lines for this environment, without the unset keys. */
    Map<String, String> toProperties(int envId) {
        String p = prefix(envId);
        Map<String, String> lines = new LinkedHashMap<>();
        put(lines, p + "name", name);
        put(lines, p + "url", url);
        if (tls != null) {
            put(lines, p + "tls.ca", tls.ca());
            put(lines, p + "tls.cert", tls.cert());
            put(lines, p + "tls.key", tls.key());
            put(lines, p + "tls.skip-verify", Boolean.TRUE.equals(tls.skipVerify()) ? "true" : null);
        }
        put(lines, p + "api-version", apiVersion);
        put(lines, p + "connect-timeout", connectTimeout);
        put(lines, p + "read-timeout", readTimeout);
        put(lines, p + "type", isEdge() ? EDGE_TYPE : type);
        put(lines, p + "agent-token-sha256", agentTokenSha256);
        return lines;
    }

    private static void put(Map<String, String> lines, String key, String value) {
        if (value != null && !value.isBlank()) {
            lines.put(key, value.trim());
        }
    }

    private static Path path(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Path path = Path.of(value.trim());
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("TLS file " + value + " must be an absolute path");
        }
        return path;
    }

    private static Duration duration(String key, String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Settings.duration(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " '" + value + "' is not a duration like 5s, 500ms or 2m");
        }
    }
}
