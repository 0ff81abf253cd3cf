package dev.porthole.bench;

import dev.porthole.wire.Subprotocols;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.SocketFactory;

/**
 * One signed-in person talking to Porthole as a browser would: JSON over HTTP with a session cookie, terminals over
 * WebSocket. One JDK HttpClient (one selector thread) carries all of this person's terminals.
 */
final class PortholeClient {
    private static final Pattern EXEC_ID = Pattern.compile("\"execId\"\\s*:\\s*\"([0-9a-f]+)\"");

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    PortholeClient(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(10)).build();
    }

    PortholeClient signIn(String user, String password) throws IOException, InterruptedException {
        post("api/auth/login", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        return this;
    }

    /** {@code POST /api/containers/{container}/exec}: answers Porthole's execId. */
    String createExec(String container) throws IOException, InterruptedException {
        return createExec(container, DirectEngine.ROOT);
    }

    /** The same, with the shell run as {@code user} (a name or uid, which the caller vouches for). */
    String createExec(String container, String user) throws IOException, InterruptedException {
        String body = post("api/containers/" + container + "/exec?envId=1", "{\"user\":\"" + user + "\"}");
        Matcher m = EXEC_ID.matcher(body);
        if (!m.find()) {
            throw new IOException("no execId in " + body);
        }
        return m.group(1);
    }

    /** {@code GET /api/auth/session}: the cheapest signed-in call, the floor under every API round trip. */
    String session() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "api/auth/session"))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET api/auth/session answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A keep-alive connection of this signed-in person on the benchmark's plain blocking client. */
    PortholeConnection connect() throws IOException {
        return new PortholeConnection(baseUrl, sessionCookie());
    }

    /** Asks for binary output, as the page does; a server that does not agree would be measured on text. */
    PortholeTerminal attach(String execId) throws IOException {
        PortholeTerminal terminal = new PortholeTerminal();
        WebSocket socket = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                // The JDK's WebSocket builder does not consult the cookie handler.
                .header("Cookie", sessionCookie())
                .subprotocols(Subprotocols.BINARY)
                .buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + "api/containers/exec/" + execId
                        + "/attach?envId=1"), terminal)
                .join();
        if (!Subprotocols.BINARY.equals(socket.getSubprotocol())) {
            socket.abort();
            throw new IOException("the server answered subprotocol '" + socket.getSubprotocol() + "', not "
                    + Subprotocols.BINARY);
        }
        return terminal;
    }

    /** A new shell in {@code container} on the plain WebSocket client, once its prompt has arrived. */
    PlainWebSocketTerminal openPlainShell(String container, Duration timeout) throws Exception {
        PlainWebSocketTerminal terminal = PlainWebSocketTerminal.attach(baseUrl, sessionCookie(), createExec(container));
        terminal.output().awaitFromStart("# ", timeout);
        return terminal;
    }

    /**
     * A new shell in {@code container} on the plain WebSocket client, attached through the proxy at {@code proxyBase}
     * (same context path) with {@code sockets}; the exec instance is created straight at Porthole.
     */
    PlainWebSocketTerminal openPlainShellThrough(String proxyBase, SocketFactory sockets, String container,
            Duration timeout) throws Exception {
        PlainWebSocketTerminal terminal = PlainWebSocketTerminal.attach(proxyBase, sessionCookie(), createExec(container),
                sockets);
        terminal.output().awaitFromStart("# ", timeout);
        return terminal;
    }

    /** A new shell in {@code container}, once its prompt has arrived. */
    PortholeTerminal openShell(String container, Duration timeout) throws Exception {
        return openShell(container, DirectEngine.ROOT, timeout);
    }

    /** A new shell of {@code user} in {@code container}, once its prompt has arrived. */
    PortholeTerminal openShell(String container, String user, Duration timeout) throws Exception {
        PortholeTerminal terminal = attach(createExec(container, user));
        terminal.output().awaitFromStart(DirectEngine.prompt(user), timeout);
        return terminal;
    }

    private String post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private String sessionCookie() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("session"))
                .map(HttpCookie::toString)
                .findFirst().orElseThrow(() -> new IllegalStateException("not signed in"));
    }
}
