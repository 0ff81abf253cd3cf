package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Debian's nginx running {@code deploy/nginx.conf} as shipped, in front of a Porthole under {@code /porthole}. Only
 * what a test machine must change is changed (each change must find its text, see {@link ShippedFile}): the two
 * {@code listen} ports, the certificate and key (a self-signed certificate for 127.0.0.1 made by openssl now), and
 * the upstream's port. The shipped file is included as it stands into a main configuration of the test's own, which
 * gives nginx its own prefix, pid file, logs and temporary folders, so that it needs nothing of the machine's nginx.
 */
public final class Nginx implements AutoCloseable {
    /** How long nginx may take to log a request it has answered: it writes the line after the answer. */
    private static final java.time.Duration LOG_PATIENCE = java.time.Duration.ofSeconds(5);
    static final Path EXECUTABLE = Path.of(System.getProperty("porthole.nginx", "/usr/sbin/nginx"));

    private final Process process;
    private final Path dir;
    private final int httpsPort;
    private final int httpPort;
    private final SSLContext clientTls;

    private Nginx(Process process, Path dir, int httpsPort, int httpPort, SSLContext clientTls) {
        this.process = process;
        this.dir = dir;
        this.httpsPort = httpsPort;
        this.httpPort = httpPort;
        this.clientTls = clientTls;
    }

    /** Starts nginx in front of Porthole listening on 127.0.0.1:{@code upstreamPort}. */
    public static Nginx start(int upstreamPort) throws IOException, InterruptedException {
        return start(List.of(upstreamPort));
    }

    /**
     * Starts nginx in front of several Porthole nodes on 127.0.0.1, round robin with no stickiness, as README's
     * "Several nodes" has it: the shipped {@code proxy_pass} names an upstream of them instead of one address. The
     * access log names the node that answered each request ({@link #upstreamsOf}).
     */
    public static Nginx start(List<Integer> upstreamPorts) throws IOException, InterruptedException {
        if (!Files.isExecutable(EXECUTABLE)) {
            fail("the proxy tests need " + EXECUTABLE + " (Debian: apt-get install nginx)");
        }
        // Started by root (CI), nginx runs its worker as nobody, which must reach the temporary folders.
        Path dir = Files.createTempDirectory("porthole-nginx",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createDirectories(dir.resolve("logs"));
        for (String temp : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.setPosixFilePermissions(Files.createDirectories(dir.resolve(temp)),
                    PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString());
        int httpsPort = freePort();
        int httpPort = freePort();
        ShippedFile.read("nginx.conf")
                .replace("listen 443 ssl;", "listen 127.0.0.1:" + httpsPort + " ssl;")
                .replace("listen 80;", "listen 127.0.0.1:" + httpPort + ";")
                .replace("ssl_certificate     /etc/ssl/porthole/fullchain.pem;", "ssl_certificate     " + cert + ";")
                .replace("ssl_certificate_key /etc/ssl/porthole/privkey.pem;", "ssl_certificate_key " + key + ";")
                .replace("proxy_pass http://127.0.0.1:8080;", upstreamPorts.size() == 1
                        ? "proxy_pass http://127.0.0.1:" + upstreamPorts.get(0) + ";" : "proxy_pass http://porthole_nodes;")
                .writeTo(dir.resolve("porthole.conf"));
        if (upstreamPorts.size() > 1) {
            Files.writeString(dir.resolve("porthole.conf"), "upstream porthole_nodes {\n"
                    + upstreamPorts.stream().map(port -> "    server 127.0.0.1:" + port + ";\n").collect(java.util.stream.Collectors.joining())
                    + "}\n" + Files.readString(dir.resolve("porthole.conf")));
        }
        // As /etc/nginx/nginx.conf includes conf.d/*.conf in its http block, with the test's own places for files.
        Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                "daemon off;",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("logs/error.log") + " info;",
                "events { worker_connections 512; }",
                "http {",
                "  log_format upstream '$request_method $uri $status $upstream_addr';",
                "  access_log " + dir.resolve("logs/access.log") + " upstream;",
                "  client_body_temp_path " + dir.resolve("body") + ";",
                "  proxy_temp_path " + dir.resolve("proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("scgi") + ";",
                "  include " + dir.resolve("porthole.conf") + ";",
                "}", ""));
        List<String> command = List.of(EXECUTABLE.toString(), "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("logs/error.log").toString());
        List<String> test = new java.util.ArrayList<>(command);
        test.add("-t");
        run(dir, test.toArray(String[]::new));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        Nginx nginx = new Nginx(process, dir, httpsPort, httpPort, trusting(cert));
        nginx.awaitListening();
        return nginx;
    }

    /** {@code https://127.0.0.1:PORT/porthole/}, the address a browser would use. */
    public String baseUrl() {
        return "https://127.0.0.1:" + httpsPort + "/porthole/";
    }

    /** The Origin a browser sends from a page of {@link #baseUrl}. */
    public String origin() {
        return "https://127.0.0.1:" + httpsPort;
    }

    /** Plain HTTP, which the shipped configuration redirects. */
    public String plainBaseUrl() {
        return "http://127.0.0.1:" + httpPort + "/porthole/";
    }

    /** TLS for a client that trusts this nginx's certificate and checks that it names 127.0.0.1. */
    public SSLContext clientTls() {
        return clientTls;
    }

    /** Its self-signed certificate, for a client (Node.js: NODE_EXTRA_CA_CERTS) that is to trust this nginx. */
    public Path certificate() {
        return dir.resolve("fullchain.pem");
    }

    /** The nodes that answered each request whose path ends with {@code suffix} so far, in order. */
    public List<String> upstreamsEndingWith(String suffix) throws IOException {
        return Files.readAllLines(dir.resolve("logs/access.log")).stream()
                .filter(line -> line.split(" ").length == 4 && line.split(" ")[1].endsWith(suffix))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList();
    }

    /**
     * The nodes that answered each request for {@code path}, in order, once there are at least {@code count}: nginx
     * logs a request after it has sent the answer, so a client that has its answer may look before the line is there.
     */
    public List<String> awaitUpstreamsOf(String method, String path, int count) throws IOException {
        long deadline = System.nanoTime() + LOG_PATIENCE.toNanos();
        List<String> upstreams;
        while ((upstreams = upstreamsOf(method, path)).size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return upstreams;
    }

    /** The nodes (127.0.0.1:PORT) that answered each request for {@code path} so far, in order. */
    public List<String> upstreamsOf(String method, String path) throws IOException {
        String prefix = method + " " + path + " ";
        return Files.readAllLines(dir.resolve("logs/access.log")).stream().filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)).toList();
    }

    public String errorLog() throws IOException {
        return Files.readString(dir.resolve("logs/error.log"));
    }

    /** SIGTERM: nginx closes its connections and exits. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", httpsPort)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("nginx did not start: " + errorLog());
                }
                Thread.sleep(50);
            }
        }
    }

    private static SSLContext trusting(Path cert) throws IOException {
        try (InputStream in = Files.newInputStream(cert)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("nginx", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory.getTrustManagers(), null);
            return tls;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot trust " + cert, e);
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
