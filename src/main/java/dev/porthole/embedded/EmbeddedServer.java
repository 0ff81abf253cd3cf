package dev.porthole.embedded;

import dev.porthole.app.PortholeBootstrap;
import dev.porthole.config.PrivateFiles;
import dev.porthole.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.realm.MemoryRealm;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Porthole's WAR on an embedded Tomcat 11. {@link #main} is the one-command start of README.md; tests start it
 * on a free port with {@link #start}.
 */
public final class EmbeddedServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    private static final String WEBSOCKET_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

    /**
     * Where and what to serve. {@code configFile} may be null: then defaults and environment variables apply.
     * {@code trustedProxies}: comma-separated addresses whose {@code X-Forwarded-*} headers are believed; empty
     * trusts no one.
     */
    public record Options(String address, int port, String contextPath, Path webapp, Path usersFile, Path configFile,
            Path workDir, String trustedProxies, boolean virtualThreads, boolean warmUp, Duration warmUpTimeout) {

        /** Without the warm-up: a server that starts at once. */
        public Options(String address, int port, String contextPath, Path webapp, Path usersFile, Path configFile,
                Path workDir, String trustedProxies, boolean virtualThreads) {
            this(address, port, contextPath, webapp, usersFile, configFile, workDir, trustedProxies, virtualThreads,
                    false, Duration.ZERO);
        }

        public Options withWarmUp(Duration timeout) {
            return new Options(address, port, contextPath, webapp, usersFile, configFile, workDir, trustedProxies,
                    virtualThreads, true, timeout);
        }

        /** The embedded start's keys of {@code settings}, read from {@code configFile}; see README.md, "Configure it". */
        public static Options from(Settings settings, Optional<Path> configFile) {
            Path home = Path.of(System.getProperty("user.home"), ".porthole");
            return new Options(
                    settings.get("server.address", "127.0.0.1"),
                    settings.getInt("server.port", 8080),
                    settings.get("server.context-path", ""),
                    Path.of(settings.get("server.webapp", "target/porthole")),
                    Path.of(settings.get("auth.users-file", home.resolve("users.xml").toString())),
                    configFile.orElse(null),
                    Path.of(settings.get("server.work-dir", home.resolve("tomcat").toString())),
                    settings.get("server.trusted-proxies", ""),
                    settings.getBoolean("server.virtual-threads", true),
                    settings.getBoolean("server.warm-up", true),
                    settings.getDuration("server.warm-up-timeout", Duration.ofSeconds(60)));
        }
    }

    private final Tomcat tomcat;
    private final Options options;

    private EmbeddedServer(Tomcat tomcat, Options options) {
        this.tomcat = tomcat;
        this.options = options;
    }

    public static EmbeddedServer start(Options options) throws LifecycleException, IOException {
        Files.createDirectories(options.workDir().resolve("webapps"));
        // Tomcat gives every WebSocket a frame input buffer, an output buffer and an encoder buffer of this size
        // (8 KiB by default) for its life: 24 KiB per terminal, most of its memory. Binary output is written
        // without passing through them; text output goes out in frames of this size. A system property, read once
        // when Tomcat's WebSocket classes load; one given on the command line wins.
        System.getProperties().putIfAbsent(WEBSOCKET_BUFFER_PROPERTY, "1024");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(options.workDir().toAbsolutePath().toString());
        Connector connector = connector(options);
        connector.setPort(options.port());
        connector.setProperty("address", options.address());
        if (!options.warmUp()) {
            tomcat.getService().addConnector(connector);
        }
        tomcat.setAddDefaultWebXmlToWebapp(false); // no JSP servlet: Jasper is not on the class path
        TrustedProxies.valve(options.trustedProxies()).ifPresent(valve -> tomcat.getHost().getPipeline().addValve(valve));
        // Tomcat's own error answers (a malformed URL, a header too large) are JSON with the browser's defences.
        // Named as the host's error valve too, or the host adds Tomcat's own, whose HTML would be written first.
        ((StandardHost) tomcat.getHost()).setErrorReportValveClass(JsonErrorValve.class.getName());
        tomcat.getHost().getPipeline().addValve(new JsonErrorValve());
        // Under `mvn exec:java` the system class loader does not hold Tomcat; the web app must see the one that does.
        tomcat.getEngine().setParentClassLoader(EmbeddedServer.class.getClassLoader());
        Context context = tomcat.addWebapp(options.contextPath(), options.webapp().toAbsolutePath().toString());
        if (context instanceof StandardContext standard) {
            // These checks need --add-opens, and Porthole stops its own threads; keep the log free of their warnings.
            standard.setClearReferencesThreadLocals(false);
            standard.setClearReferencesRmiTargets(false);
        }
        addStaticContent(context);
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
        PrivateFiles.restrict(options.usersFile(), "the users file");
        MemoryRealm realm = new MemoryRealm();
        realm.setPathname(options.usersFile().toAbsolutePath().toString());
        realm.setCredentialHandler(Credentials.handler());
        context.setRealm(realm);
        if (options.configFile() != null) {
            context.addParameter(PortholeBootstrap.CONFIG_PARAMETER, options.configFile().toAbsolutePath().toString());
        }
        tomcat.start();
        if (!context.getState().isAvailable()) {
            tomcat.stop();
            tomcat.destroy();
            throw new LifecycleException("Porthole failed to start; the log above says why");
        }
        if (options.warmUp()) {
            // Before the public connector, so that no one reaches a server still warming up.
            report(new WarmUp(options.warmUpTimeout(), () -> connector(options)).run(tomcat.getService(), context));
            try {
                tomcat.getService().addConnector(connector);
            } catch (IllegalArgumentException e) {
                tomcat.stop();
                tomcat.destroy();
                throw new LifecycleException("Porthole cannot listen at " + options.address() + ":" + options.port(), e);
            }
        }
        return new EmbeddedServer(tomcat, options);
    }

    /** A connector as every one of this server is: what the options say, buffers sized for terminals. */
    private static Connector connector(Options options) {
        Connector connector = new Connector();
        // Each connection keeps a read and a write buffer for its life; a terminal's socket moves little at a time,
        // and 8 KiB each (the default) is 12 MiB more per thousand terminals than 2 KiB. Output frames
        // larger than the write buffer are written straight from the relay's buffer.
        connector.setProperty("socket.appReadBufSize", "2048");
        connector.setProperty("socket.appWriteBufSize", "2048");
        if (options.virtualThreads() && Runtime.version().feature() >= 21) {
            // A handshake or request no longer holds a platform thread: a burst of a thousand terminals opening grew
            // the pool by ~45 threads, whose stacks stayed resident. Java 17 has no virtual threads.
            connector.setProperty("useVirtualThreads", "true");
        }
        return connector;
    }

    private static void report(WarmUp.Outcome outcome) {
        if (outcome.done()) {
            log.info("warmed up in {} ms ({} ms of CPU): the terminal path is loaded and compiled",
                    outcome.took().toMillis(), outcome.cpu().toMillis());
        } else {
            log.warn("the warm-up stopped after {} ms ({} ms of CPU), and the server starts without it: {}",
                    outcome.took().toMillis(), outcome.cpu().toMillis(), outcome.failure());
        }
    }

    private static void addStaticContent(Context context) {
        Wrapper files = Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
        files.addInitParameter("listings", "false");
        files.setLoadOnStartup(1);
        context.addServletMappingDecoded("/", "default");
        Tomcat.addDefaultMimeTypeMappings(context);
        context.addWelcomeFile("index.html");
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    public String baseUrl() {
        String host = options.address().contains(":") ? "[" + options.address() + "]" : options.address();
        return "http://" + host + ":" + port() + options.contextPath() + "/";
    }

    @Override
    public void close() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }

    public static void main(String[] args) throws Exception {
        Optional<Path> configFile = Optional.ofNullable(args.length > 0 ? args[0] : null)
                .or(() -> Optional.ofNullable(System.getProperty(PortholeBootstrap.CONFIG_PARAMETER)))
                .or(() -> Optional.ofNullable(System.getenv("PORTHOLE_CONFIG")))
                .map(Path::of);
        Options options = Options.from(Settings.load(configFile, System.getenv()), configFile);
        Path usersFile = options.usersFile();
        Optional<String> adminPassword = UsersFile.ensureAdmin(usersFile);
        List<String> heapReturn = HeapReturn.apply();
        EmbeddedServer server = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (LifecycleException e) {
                System.err.println("Porthole did not stop cleanly: " + e.getMessage());
            }
        }, "porthole-shutdown"));
        System.out.println();
        System.out.println("Porthole is running at " + server.baseUrl());
        if (!heapReturn.isEmpty()) {
            System.out.println("(the JVM gives unused heap back: " + String.join(", ", heapReturn) + ")");
        }
        if (adminPassword.isPresent()) {
            System.out.println("Sign in as 'admin' with password " + adminPassword.get());
            System.out.println("(shown this once; only its hash is stored, in " + usersFile.toAbsolutePath() + ")");
        } else {
            System.out.println("Sign in with a user of " + usersFile.toAbsolutePath());
        }
        System.out.println();
        server.tomcat.getServer().await();
    }
}
