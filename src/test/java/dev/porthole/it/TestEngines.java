package dev.porthole.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test engine's three doors ({@code scripts/engine.sh}): its unix socket, plain HTTP on 2375 through the relay,
 * and mutual TLS on 2376 with certificates that are made anew at each engine start, so they are read from
 * {@code PORTHOLE_TLS_DIR} at run time. Answers configuration lines for Porthole's environments.
 */
public final class TestEngines {
    static final String HTTP = System.getenv().getOrDefault("PORTHOLE_HTTP_ENGINE", "tcp://127.0.0.1:2375");
    static final String HTTPS = System.getenv().getOrDefault("PORTHOLE_HTTPS_ENGINE", "https://127.0.0.1:2376");
    static final Path TLS_DIR = Path.of(System.getenv().getOrDefault("PORTHOLE_TLS_DIR", "/tmp/porthole-engine/tls"));

    private TestEngines() {
    }

    public static List<String> environment(int id, String name, String url, String... more) {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "environments." + id + ".name=" + name, "environments." + id + ".url=" + url));
        for (String line : more) {
            lines.add("environments." + id + "." + line);
        }
        return lines;
    }

    static List<String> http(int id, String name) {
        return environment(id, name, HTTP);
    }

    /** Mutual TLS with the engine's CA and client certificate. */
    public static List<String> https(int id, String name) {
        return environment(id, name, HTTPS, "tls.ca=" + TLS_DIR.resolve("ca.pem"),
                "tls.cert=" + TLS_DIR.resolve("cert.pem"), "tls.key=" + TLS_DIR.resolve("key.pem"));
    }

    /** A CA that signed nothing the engine has: a fresh self-signed certificate made with openssl. */
    static Path strangerCa() {
        try {
            Path dir = Files.createTempDirectory("porthole-stranger-ca");
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=Stranger CA", "-keyout", dir.resolve("ca-key.pem").toString(),
                    "-out", dir.resolve("ca.pem").toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("openssl failed: " + out);
            }
            return dir.resolve("ca.pem");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static String[] lines(List<List<String>> environments) {
        return environments.stream().flatMap(List::stream).toArray(String[]::new);
    }
}
