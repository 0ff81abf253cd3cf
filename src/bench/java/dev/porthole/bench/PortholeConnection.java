package dev.porthole.bench;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A signed-in person's API calls on one keep-alive HTTP/1.1 connection, written and read by the same blocking
 * client as the direct engine calls ({@link EngineSocket}), so that an exec create through Porthole and one
 * straight to the engine are timed through the same client code. The JDK's HttpClient hands each exchange
 * between its caller, its selector thread and an executor; on two busy cores those hand-offs alone measured
 * 0.6-1.7 ms per call, more than Porthole itself. A connection the server closes (Tomcat ends one after
 * {@code maxKeepAliveRequests}) is reopened, as any client does.
 */
final class PortholeConnection implements AutoCloseable {
    private static final Pattern EXEC_ID = Pattern.compile("\"execId\"\\s*:\\s*\"([0-9a-f]+)\"");

    private final String baseUrl;
    private final String cookieHeader;
    /** Porthole's context path with its trailing slash, e.g. {@code /porthole/}. */
    private final String contextPath;
    private EngineSocket socket;
    private int reopened;

    PortholeConnection(String baseUrl, String sessionCookie) throws IOException {
        this.baseUrl = baseUrl;
        this.contextPath = java.net.URI.create(baseUrl).getPath();
        this.cookieHeader = "Cookie: " + sessionCookie + "\r\n";
        this.socket = new EngineSocket(baseUrl);
    }

    /** {@code POST /api/containers/{container}/exec}: answers Porthole's execId. */
    String createExec(String container) throws IOException {
        String body = call("POST", contextPath + "api/containers/" + container + "/exec?envId=1", "{}");
        Matcher m = EXEC_ID.matcher(body);
        if (!m.find()) {
            throw new IOException("no execId in " + body);
        }
        return m.group(1);
    }

    /** {@code GET /api/auth/session}: the cheapest signed-in call. */
    String session() throws IOException {
        return call("GET", contextPath + "api/auth/session", null);
    }

    /** How often the server closed the connection and it was opened again. */
    int reopened() {
        return reopened;
    }

    private String call(String method, String path, String json) throws IOException {
        EngineSocket.Response r = socket.send(method, path, json, cookieHeader);
        if (r.head().toLowerCase(Locale.ROOT).contains("\r\nconnection: close")) {
            socket.close();
            socket = new EngineSocket(baseUrl);
            reopened++;
        }
        if (r.status() != 200) {
            throw new IOException(method + " " + path + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() {
        socket.close();
    }
}
