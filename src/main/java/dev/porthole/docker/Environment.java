package dev.porthole.docker;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One configured Docker engine: its id in {@code envId}, a name for people, and how to reach it.
 *
 * <p>{@code url} says the connection type: {@code unix:///path} is a socket, {@code tcp://host:port} or
 * {@code http://host:port} plain HTTP (port 2375 by default), {@code https://host:port} TLS (2376) with the
 * {@link TlsFiles}. {@code apiVersion} null asks the engine for its own version (no version in the path).
 */
public record Environment(int id, String name, URI url, TlsFiles tls, String apiVersion, Duration connectTimeout,
        Duration readTimeout, String agentTokenSha256) {
    /** The scheme of an environment whose engine is reached through a Hawser agent that dials in. */
    public static final String EDGE_SCHEME = "hawser-edge";
    public static final int HTTP_PORT = 2375;
    public static final int HTTPS_PORT = 2376;
    private static final Pattern API_VERSION = Pattern.compile("1\\.\\d{1,3}");

    public Environment {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "unix" -> {
                if (url.getPath() == null || url.getPath().isEmpty()) {
                    throw new IllegalArgumentException("url " + url + ": a socket url is unix:///path/to/docker.sock");
                }
            }
            case "tcp", "http", "https" -> {
                if (url.getHost() == null || (url.getPath() != null && !url.getPath().isEmpty() && !url.getPath().equals("/"))) {
                    throw new IllegalArgumentException("url " + url + ": expected " + scheme + "://host:port");
                }
            }
            case EDGE_SCHEME -> {
                // no address: the agent dials in, and its token says which environment it is
            }
            default -> throw new IllegalArgumentException(
                    "url " + url + ": only unix://, tcp://, http:// and https:// are supported");
        }
        if ("https".equals(scheme)) {
            tls = tls == null ? TlsFiles.NONE : tls;
        } else if (tls != null && !tls.equals(TlsFiles.NONE)) {
            throw new IllegalArgumentException("tls.* settings need an https:// url, not " + url);
        } else {
            tls = null;
        }
        if (apiVersion != null && !API_VERSION.matcher(apiVersion).matches()) {
            throw new IllegalArgumentException("api-version must look like 1.41, not '" + apiVersion + "'");
        }
        if (agentTokenSha256 != null && !EDGE_SCHEME.equals(scheme)) {
            throw new IllegalArgumentException("agent-token-sha256 belongs to a hawser-edge environment only");
        }
        requirePositive("connect-timeout", connectTimeout);
        requirePositive("read-timeout", readTimeout);
    }

    /** A plain environment that asks for the engine's own API version. */
    public Environment(int id, String name, URI url, Duration connectTimeout, Duration readTimeout) {
        this(id, name, url, null, null, connectTimeout, readTimeout, null);
    }

    /** An environment reached through a Hawser agent; {@code agentTokenSha256} is null until a token is issued. */
    public static Environment edge(int id, String name, String agentTokenSha256, Duration connectTimeout,
            Duration readTimeout) {
        return new Environment(id, name, URI.create(EDGE_SCHEME + ":agent"), null, null, connectTimeout, readTimeout,
                agentTokenSha256);
    }

    public boolean isEdge() {
        return EDGE_SCHEME.equals(type());
    }

    /** {@code socket}, {@code http}, {@code https} or {@code hawser-edge}: the {@code type} of {@link ConnectionInfo}. */
    public String type() {
        return switch (url.getScheme().toLowerCase(Locale.ROOT)) {
            case "unix" -> "socket";
            case EDGE_SCHEME -> EDGE_SCHEME;
            case "https" -> "https";
            default -> "http";
        };
    }

    /** What docker-java connects to: the socket's url, or {@code tcp://host:port} (TLS comes from {@link #tls}). */
    public URI dockerHost() {
        if ("socket".equals(type())) {
            return url;
        }
        return URI.create("tcp://" + url.getHost() + ":" + port());
    }

    public ConnectionInfo connectionInfo() {
        if (isEdge()) {
            return new ConnectionInfo(EDGE_SCHEME, null, null);
        }
        return "socket".equals(type())
                ? new ConnectionInfo("socket", url.getPath(), null)
                : new ConnectionInfo(type(), url.getHost().replaceAll("^\\[|]$", ""), port());
    }

    int port() {
        return url.getPort() > 0 ? url.getPort() : "https".equals(type()) ? HTTPS_PORT : HTTP_PORT;
    }

    private static void requirePositive(String key, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(key + " must be more than zero");
        }
    }

    @Override
    public String toString() {
        return "environment " + id + " (" + name + ")";
    }
}
