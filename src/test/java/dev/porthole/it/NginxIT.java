package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Extension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The terminal scenario through Debian's nginx running {@code deploy/nginx.conf} as shipped ({@link Nginx}), over
 * TLS, in front of a Porthole under {@code /porthole} that trusts X-Forwarded-* from 127.0.0.1 only, as the shipped
 * context file and {@code server.trusted-proxies} have it. Clients talk to nginx only, as browsers would. Throughput
 * through the proxy is a figure of the benchmark ({@code scripts/bench.sh}, figure {@code proxy}), not a test: a
 * timed assertion on a shared 2-core machine would fail with the load of its neighbours, not with the proxy.
 */
class NginxIT {
    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);
    private static TestServer.Running porthole;
    private static Nginx nginx;

    @BeforeAll
    static void start() throws Exception {
        // on, as an operator behind a slow link turns it: the proxy must pass the browser's offer and the answer
        porthole = TestServer.start("/porthole", "terminal.compression=true");
        nginx = Nginx.start(URI.create(porthole.baseUrl()).getPort());
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        porthole.close();
    }

    @Test
    void theSessionCookieIsSecureHttpOnlyStrictAndScopedToTheContextPath() throws Exception {
        HttpResponse<String> answer = https().send(HttpRequest.newBuilder(URI.create(nginx.baseUrl() + "api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ApiClient.loginBody("alice", "alice-password"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        String cookie = answer.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("session="))
                .findFirst().orElseThrow();
        for (String attribute : List.of("Secure", "HttpOnly", "SameSite=Strict", "Path=/porthole")) {
            assertTrue(cookie.contains(attribute), attribute + " missing: " + cookie);
        }
    }

    @Test
    void theHandshakeUpgradesThroughTheProxyAndKeepsCompression() throws Exception {
        SignedIn alice = signIn();
        String answer = handshake(alice.attachPath(alice.createExec()), nginx.origin(), alice.cookie());
        assertTrue(answer.startsWith("HTTP/1.1 101 "), answer);
        assertTrue(answer.toLowerCase().contains("\r\nupgrade: websocket"), answer);
        assertTrue(answer.toLowerCase().contains("\r\nsec-websocket-extensions: permessage-deflate"), answer);
    }

    @Test
    void aForeignOriginIsRefusedBeforeAnyUpgrade() throws Exception {
        SignedIn alice = signIn();
        String answer = handshake(alice.attachPath(alice.createExec()), "https://evil.example", alice.cookie());
        assertTrue(answer.startsWith("HTTP/1.1 403 "), answer);
    }

    @Test
    void aTerminalRunsOverWssToItsExitCode() throws Exception {
        SignedIn alice = signIn();
        String execId = alice.createExec();
        BrowserLikeTerminal terminal = alice.attach(execId);
        assertEquals(List.of("permessage-deflate"), terminal.negotiatedExtensions().stream().map(Extension::getName).toList());
        terminal.type("echo through-nginx-$((6*7))\n");
        terminal.await("through-nginx-42", FEW_SECONDS);
        assertEquals(200, alice.resize(execId, 33, 101));
        terminal.type("echo size-$(stty size | tr ' ' x)\n");
        terminal.await("size-33x101", FEW_SECONDS);
        terminal.type("exit 7\n");
        CloseReason closed = terminal.awaitClose(Duration.ofSeconds(15));
        assertEquals(1000, closed.getCloseCode().getCode());
        assertEquals("exit 7", closed.getReasonPhrase());
    }

    @Test
    void aOneMebibytePasteArrivesExact() throws Exception {
        Paste paste = Paste.oneMebibyte();
        SignedIn alice = signIn();
        BrowserLikeTerminal terminal = alice.attach(alice.createExec());
        paste.typeAndCheck(terminal::type, terminal::await);
        terminal.close();
    }

    @Test
    void plainHttpIsRedirectedToHttps() throws Exception {
        HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(nginx.plainBaseUrl()))
                .build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(301, answer.statusCode());
        assertEquals("https://127.0.0.1/porthole/", answer.headers().firstValue("Location").orElseThrow());
    }

    /** The proxy's keepalive and upgrade settings are those shipped: nothing in nginx's log says otherwise. */
    @Test
    void nginxLogsNoErrorForAnyOfThis() throws Exception {
        SignedIn alice = signIn();
        BrowserLikeTerminal terminal = alice.attach(alice.createExec());
        terminal.type("echo quiet\n");
        terminal.await("quiet", FEW_SECONDS);
        terminal.close();
        String log = nginx.errorLog();
        assertTrue(log.lines().noneMatch(line -> line.contains("[error]") || line.contains("[crit]")
                || line.contains("[alert]") || line.contains("[emerg]")), log);
    }

    private static HttpClient https() {
        return HttpClient.newBuilder().sslContext(nginx.clientTls()).cookieHandler(new CookieManager())
                .connectTimeout(FEW_SECONDS).build();
    }

    private static SignedIn signIn() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient client = HttpClient.newBuilder().sslContext(nginx.clientTls()).cookieHandler(cookies)
                .connectTimeout(FEW_SECONDS).build();
        SignedIn signedIn = new SignedIn(client, cookies);
        assertEquals(200, signedIn.post("api/auth/login", ApiClient.loginBody("alice", "alice-password")).statusCode());
        return signedIn;
    }

    /** A person signed in through the proxy: every request and socket goes to nginx with the page's Origin. */
    private record SignedIn(HttpClient client, CookieManager cookies) {
        HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
            return client.send(HttpRequest.newBuilder(URI.create(nginx.baseUrl() + path))
                    .header("Content-Type", "application/json").header("Origin", nginx.origin())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        String createExec() throws IOException, InterruptedException {
            HttpResponse<String> created = post("api/containers/ph-busybox/exec?envId=1", "{}");
            assertEquals(200, created.statusCode(), created.body());
            return created.body().replaceAll(".*\"execId\":\"([0-9a-f]{32})\".*", "$1");
        }

        int resize(String execId, int rows, int cols) throws IOException, InterruptedException {
            return post("api/containers/exec/" + execId + "/resize?envId=1&h=" + rows + "&w=" + cols, "").statusCode();
        }

        String attachPath(String execId) {
            return "/porthole/api/containers/exec/" + execId + "/attach?envId=1";
        }

        BrowserLikeTerminal attach(String execId) throws Exception {
            return BrowserLikeTerminal.open("wss://127.0.0.1:" + URI.create(nginx.baseUrl()).getPort() + attachPath(execId),
                    nginx.origin(), cookie(), nginx.clientTls());
        }

        String cookie() {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("session"))
                    .map(HttpCookie::toString).findFirst().orElseThrow();
        }
    }

    /**
     * A browser's handshake written byte for byte over TLS (the JDK's client may not send Upgrade headers itself);
     * answers the head of the answer.
     */
    private static String handshake(String path, String origin, String cookie) throws IOException {
        URI base = URI.create(nginx.baseUrl());
        try (SSLSocket socket = (SSLSocket) nginx.clientTls().getSocketFactory().createSocket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    + "Origin: " + origin + "\r\nCookie: " + cookie + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
