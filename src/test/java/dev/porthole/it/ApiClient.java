package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/** A client of Porthole's HTTP API with its own cookie jar: one per signed-in person. */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final CookieManager cookies;
    private final HttpClient http;
    private String token;

    public ApiClient(String baseUrl) {
        this(baseUrl, new CookieManager(), null);
    }

    /** A client of {@code baseUrl} over TLS that trusts what {@code tls} trusts (e.g. {@link Nginx#clientTls}). */
    public ApiClient(String baseUrl, javax.net.ssl.SSLContext tls) {
        this(baseUrl, new CookieManager(), tls);
    }

    private ApiClient(String baseUrl, CookieManager cookies, javax.net.ssl.SSLContext tls) {
        this.baseUrl = baseUrl;
        this.cookies = cookies;
        HttpClient.Builder builder = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /**
     * The same person at another server of the same host (a cluster's other node): cookies are not kept apart by
     * port, as a browser's are not.
     */
    public ApiClient at(String otherBaseUrl) {
        return new ApiClient(otherBaseUrl, cookies, null);
    }

    public record Response(int status, String body, HttpHeaders headers) {
        /** The first value of header {@code name}, if the answer had it. */
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String error() {
            return json().path("error").asText(null);
        }
    }

    public ApiClient signIn(String user, String password) {
        Response r = post("api/auth/login", loginBody(user, password));
        assertEquals(200, r.status(), user + ": " + r.body());
        return this;
    }

    /** A sign-in body; any password, quotes and backslashes too. */
    public static String loginBody(String user, String password) {
        try {
            return JSON.writeValueAsString(java.util.Map.of("username", user, "password", password));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** From now on, sends {@code Authorization: Bearer token} with every request and handshake. */
    public ApiClient useToken(String token) {
        this.token = token;
        return this;
    }

    public Response send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    /** Creates an exec instance and answers its id; fails the test unless the answer is 200. */
    public String createExec(String container, String body) {
        Response r = post("api/containers/" + container + "/exec?envId=1", body);
        assertEquals(200, r.status(), r.body());
        return r.json().get("execId").asText();
    }

    /** Asks for an exec instance on environment {@code envId} and answers whatever came back. */
    public Response postExec(int envId, String container, String body) {
        return post("api/containers/" + container + "/exec?envId=" + envId, body);
    }

    public Response resize(int envId, String execId, int rows, int cols) {
        return post("api/containers/exec/" + execId + "/resize?envId=" + envId + "&h=" + rows + "&w=" + cols, null);
    }

    /** Opens a terminal on a new shell in {@code container} of environment {@code envId}. */
    public TerminalClient terminal(int envId, String container) {
        Response r = postExec(envId, container, "{}");
        assertEquals(200, r.status(), r.body());
        return attach(r.json().get("execId").asText(), "envId=" + envId);
    }

    public Response put(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public Response resize(String execId, int rows, int cols) {
        return post("api/containers/exec/" + execId + "/resize?envId=1&h=" + rows + "&w=" + cols, null);
    }

    /** Opens a terminal on a new shell in {@code container}. */
    public TerminalClient terminal(String container) {
        return attach(createExec(container, "{}"), "envId=1");
    }

    public TerminalClient attach(String execId, String query) {
        return attach(execId, query, List.of());
    }

    /** Attaches asking for {@code subprotocols}, the most wanted first. */
    public TerminalClient attach(String execId, String query, List<String> subprotocols) {
        try {
            return open("api/containers/exec/" + execId + "/attach?" + query, null, subprotocols);
        } catch (WebSocketHandshakeException e) {
            throw new AssertionError("handshake refused with " + e.getResponse().statusCode(), e);
        }
    }

    /** Opens a terminal on a new shell in {@code container}, asking for {@code subprotocols}. */
    public TerminalClient terminal(String container, List<String> subprotocols) {
        return attach(createExec(container, "{}"), "envId=1", subprotocols);
    }

    public TerminalClient connect(String path, String origin) {
        try {
            return connectOrFail(path, origin);
        } catch (WebSocketHandshakeException e) {
            throw new AssertionError("handshake refused with " + e.getResponse().statusCode(), e);
        }
    }

    /**
     * Opens a socket; a refused handshake surfaces as {@link WebSocketHandshakeException}. {@code headers} are
     * extra handshake headers as name, value pairs.
     */
    public TerminalClient connectOrFail(String path, String origin, String... headers) throws WebSocketHandshakeException {
        return open(path, origin, List.of(), headers);
    }

    private TerminalClient open(String path, String origin, List<String> subprotocols, String... headers)
            throws WebSocketHandshakeException {
        TerminalClient listener = new TerminalClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        String cookie = cookieHeader();
        if (cookie != null) {
            builder.header("Cookie", cookie);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            builder.buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + path), listener).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw refused;
            }
            throw new AssertionError("cannot open socket: " + e.getCause(), e);
        }
        return listener;
    }

    /** The JDK's WebSocket client does not consult the cookie handler, so the session cookie is sent by hand. */
    private String cookieHeader() {
        List<String> sent = cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("session") || c.getName().equals("porthole-signin"))
                .map(HttpCookie::toString)
                .toList();
        return sent.isEmpty() ? null : String.join("; ", sent);
    }

    public String sessionCookie() {
        return cookieHeader();
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }
}
