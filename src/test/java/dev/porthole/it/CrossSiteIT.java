package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Another site cannot make a signed-in browser act: Origin, Sec-Fetch-Site, form body types, and the headers. */
@ExtendWith(TestServer.class)
class CrossSiteIT {
    private static final String FOREIGN = "https://evil.example";

    @ParameterizedTest(name = "{0} from Origin {1}, Sec-Fetch-Site {2} -> {3}")
    @CsvSource({
        "application/x-www-form-urlencoded,                 https://evil.example, cross-site,  403",
        "multipart/form-data; boundary=----x,               https://evil.example, cross-site,  403",
        "text/plain,                                        https://evil.example, cross-site,  403",
        "application/x-www-form-urlencoded,                 '',                   cross-site,  403",
        "text/plain;charset=UTF-8,                          '',                   same-site,   403",
        "application/x-www-form-urlencoded,                 '',                   '',          415",
        "Multipart/Form-Data; boundary=----x,               '',                   '',          415",
        "text/plain,                                        OWN,                  same-origin, 415",
    })
    void aFormPostNeverCreatesAnExecInstance(String type, String origin, String fetchSite, int status,
            TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        HttpRequest.Builder form = HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/containers/ph-busybox/exec?envId=1"))
                .header("Content-Type", type)
                .header("Cookie", alice.sessionCookie())
                .POST(HttpRequest.BodyPublishers.ofString("{\"shell\":\"/bin/sh\"}"));
        if (!origin.isEmpty()) {
            form.header("Origin", origin.equals("OWN") ? own(server) : origin);
        }
        if (!fetchSite.isEmpty()) {
            form.header("Sec-Fetch-Site", fetchSite);
        }
        ApiClient.Response r = alice.send(form);
        assertEquals(status, r.status(), r.body());
        assertFalse(r.body().contains("execId"), r.body());
        assertTrue(r.error().contains("refused"), r.body());
    }

    @Test
    void aPostWithoutOriginButFromAnotherSiteIsRefused(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        ApiClient.Response r = alice.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/auth/logout"))
                .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, r.status());
        assertEquals("cross-site request refused", r.error());
        assertEquals(200, alice.get("api/auth/session").status(), "the session survived");
    }

    @Test
    void theOwnPageAndNonBrowserClientsMayPost(TestServer.Running server) {
        ApiClient alice = server.signedIn("alice");
        ApiClient.Response own = alice.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/containers/ph-busybox/exec?envId=1"))
                .header("Content-Type", "application/json").header("Origin", own(server))
                .header("Sec-Fetch-Site", "same-origin").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(200, own.status(), own.body());
        assertEquals(200, alice.post("api/containers/ph-busybox/exec?envId=1", "{}").status());
    }

    @Test
    void aForeignOriginCannotSignIn(TestServer.Running server) {
        ApiClient.Response r = server.client().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/auth/login"))
                .header("Content-Type", "application/json").header("Origin", FOREIGN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"alice-password\"}")));
        assertEquals(403, r.status());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"api/health", "api/auth/session", "api/nothing", "index.html", "no-such-page"})
    void everyAnswerCarriesTheBrowsersDefences(String path, TestServer.Running server) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        Map<String, java.util.List<String>> headers = response.headers().map();
        String csp = response.headers().firstValue("Content-Security-Policy").orElseThrow(() -> new AssertionError(headers));
        assertTrue(csp.contains("script-src 'self';"), csp);
        assertFalse(csp.contains("unsafe-inline';") && csp.contains("script-src 'self' 'unsafe-inline'"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(null));
        if (path.startsWith("api/")) {
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        }
    }

    private static String own(TestServer.Running server) {
        return server.baseUrl().replaceAll("/$", "");
    }
}
