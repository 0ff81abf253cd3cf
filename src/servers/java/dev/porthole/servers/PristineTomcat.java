package dev.porthole.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.embedded.Credentials;
import dev.porthole.it.ShippedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Tomcat as Maven Central serves it, unpacked afresh, set up by the steps of README.md's "Deploy it" with the files
 * of {@code deploy/} as shipped, and started and stopped with its own {@code bin/catalina.sh}. What differs from an
 * operator's machine is only what a shared test machine needs: free ports instead of 8080 and 8005, the folders
 * {@code /etc/porthole} and {@code /var/lib/porthole} under the test's directory, the test engine, and a
 * {@code manager-script} user for Tomcat's reload and leak finder.
 */
final class PristineTomcat {
    /**
     * Tomcat's start, on this 2-core machine shared with other test runs: 5-17 s measured when quiet, most of it
     * unpacking the WAR and scanning its 49 jars; 30-50 s at a load average of 15, and more than 90 s at 30.
     */
    private static final Duration START_PATIENCE = Duration.ofSeconds(180);
    /** Passed to {@code catalina.sh stop}, which waits this long for the JVM to end. */
    private static final int STOP_PATIENCE_SECONDS = 60;
    private static final String MANAGER_USER = "leak-finder";
    private static final String MANAGER_PASSWORD = "leak-finder-password";

    private final Path home;
    /** Stands for {@code /etc/porthole}. */
    private final Path etc;
    /** Stands for {@code /var/lib/porthole}. */
    private final Path data;
    private final int httpPort;
    private final int shutdownPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PristineTomcat(Path home, Path outside, int httpPort, int shutdownPort) {
        this.home = home;
        this.etc = outside.resolve("etc/porthole");
        this.data = outside.resolve("var/lib/porthole");
        this.httpPort = httpPort;
        this.shutdownPort = shutdownPort;
    }

    /** Unpacks {@code archive} (Tomcat's {@code tar.gz}) into a new folder under {@code parent}. */
    static PristineTomcat unpack(Path archive, Path parent) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(parent).toAbsolutePath().resolve("run-" + System.currentTimeMillis());
        Files.createDirectories(dir);
        run(dir, List.of("tar", "-xzf", archive.toAbsolutePath().toString()), Map.of(), null);
        Path home;
        try (Stream<Path> unpacked = Files.list(dir)) {
            home = unpacked.filter(p -> p.getFileName().toString().startsWith("apache-tomcat-")).findFirst()
                    .orElseThrow(() -> new AssertionError(archive + " holds no apache-tomcat-* folder"));
        }
        return new PristineTomcat(home, dir.resolve("outside"), freePort(), freePort());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort + "/porthole/";
    }

    Path configurationFile() {
        return etc.resolve("porthole.properties");
    }

    // ---- the steps of README.md, "Deploy it", in its order ----------------------------------------------------

    /** The context file, saved under the context path's name, naming the configuration file. */
    void saveContextFile() {
        ShippedFile.read("tomcat-context.xml")
                .replace("value=\"/etc/porthole/porthole.properties\" override=\"false\"/>",
                        "value=\"" + configurationFile() + "\" override=\"false\"/>")
                .writeTo(home.resolve("conf/Catalina/localhost/porthole.xml"));
    }

    /**
     * The configuration file the context names: deploy/porthole.properties, environment 1 on the test engine, its
     * data folder moved, and {@code extraLines} for what the test needs beyond the shipped example.
     */
    void writeConfigurationFile(String engine, List<String> extraLines) throws IOException {
        ShippedFile config = ShippedFile.read("porthole.properties")
                .replace("environments.1.url=unix:///var/run/docker.sock", "environments.1.url=" + engine)
                .replaceEvery("/var/lib/porthole/", data + "/");
        Files.createDirectories(etc);
        Files.writeString(configurationFile(), config.text() + "\n# the test's own\n" + String.join("\n", extraLines) + "\n");
    }

    /** The folders of {@code audit.file} and {@code security.tokens-file}, Tomcat's user's (here: the test's). */
    void createDataFolders() throws IOException {
        Files.createDirectories(data.resolve("audit"));
    }

    /** The realm's credential handler, on the inner UserDatabaseRealm: deploy/tomcat-realm.xml without its comment. */
    void setCredentialHandler() throws IOException {
        String realm = ShippedFile.read("tomcat-realm.xml").text().replaceAll("(?s)<!--.*?-->", "").trim();
        Path serverXml = home.resolve("conf/server.xml");
        String server = Files.readString(serverXml);
        Matcher inner = Pattern.compile("<Realm className=\"org\\.apache\\.catalina\\.realm\\.UserDatabaseRealm\"\\s+"
                + "resourceName=\"UserDatabase\"/>").matcher(server);
        assertTrue(inner.find(), "Tomcat's server.xml has no UserDatabaseRealm as README.md describes it");
        Files.writeString(serverXml, inner.replaceFirst(Matcher.quoteReplacement(realm)));
    }

    /**
     * The users of deploy/tomcat-users.xml with a hash for each, in place of Tomcat's example users. The first user's
     * hash is made by the command that file's comment gives, run as it is written with the password on its input;
     * the others by the same handler in this JVM, since each run of that command starts a JVM for seconds.
     */
    void addUsers(Map<String, String> passwords) throws IOException, InterruptedException {
        ShippedFile users = ShippedFile.read("tomcat-users.xml");
        boolean first = true;
        for (Map.Entry<String, String> user : passwords.entrySet()) {
            String hash = first ? hashAsDocumented(user.getValue()) : Credentials.handler().mutate(user.getValue());
            assertTrue(Credentials.handler().matches(user.getValue(), hash), "the hash of " + user.getKey());
            users.replace("username=\"" + user.getKey() + "\" password=\"REPLACE-WITH-HASH\"",
                    "username=\"" + user.getKey() + "\" password=\"" + hash + "\"");
            first = false;
        }
        String withManager = users.text().replace("</tomcat-users>",
                "  <!-- the test's own: Tomcat's manager, for reloads and its leak finder -->\n"
                        + "  <role rolename=\"manager-script\"/>\n"
                        + "  <user username=\"" + MANAGER_USER + "\" password=\"" + Credentials.handler().mutate(MANAGER_PASSWORD)
                        + "\" roles=\"manager-script\"/>\n</tomcat-users>");
        Files.writeString(home.resolve("conf/tomcat-users.xml"), withManager);
    }

    /** {@code bin/setenv.sh}, which a downloaded Tomcat does not have. */
    void createSetenv() throws IOException {
        Path setenv = ShippedFile.read("tomcat-setenv.sh").writeTo(home.resolve("bin/setenv.sh"));
        assertTrue(setenv.toFile().setExecutable(true));
    }

    /** The WAR, under the context file's name, in Tomcat's {@code webapps}. */
    void copyWar(Path war) throws IOException {
        Files.copy(war, home.resolve("webapps/porthole.war"), StandardCopyOption.REPLACE_EXISTING);
    }

    // ---- what the test machine needs ---------------------------------------------------------------------------

    /** Free ports for HTTP and shutdown: other Tomcats may run on this machine. */
    void movePorts() throws IOException {
        Path serverXml = home.resolve("conf/server.xml");
        String server = Files.readString(serverXml);
        String moved = server.replace("<Server port=\"8005\"", "<Server port=\"" + shutdownPort + "\"")
                .replace("<Connector port=\"8080\"", "<Connector port=\"" + httpPort + "\"");
        assertEquals(2, countDifferentLines(server, moved), "server.xml should have one shutdown port and one connector");
        Files.writeString(serverXml, moved);
    }

    // ---- running it --------------------------------------------------------------------------------------------

    /** {@code catalina.sh start}; returns once Tomcat's start has finished, whether Porthole started or not. */
    void start() throws IOException, InterruptedException {
        int logged = catalinaOut().split("Server startup in", -1).length;
        run(home, List.of(home.resolve("bin/catalina.sh").toString(), "start"), environment(), home.resolve("logs/start.txt"));
        long deadline = System.nanoTime() + START_PATIENCE.toNanos();
        while (catalinaOut().split("Server startup in", -1).length == logged) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Tomcat did not start within " + START_PATIENCE + ":\n" + tail(catalinaOut()));
            }
            Thread.sleep(200);
        }
    }

    /** {@code catalina.sh stop}, which waits for Tomcat's JVM to end. */
    void stop() throws IOException, InterruptedException {
        int exit = run(home, List.of(home.resolve("bin/catalina.sh").toString(), "stop", String.valueOf(STOP_PATIENCE_SECONDS)),
                environment(), home.resolve("logs/stop.txt"));
        assertEquals(0, exit, "catalina.sh stop: " + Files.readString(home.resolve("logs/stop.txt")));
        assertTrue(Files.notExists(home.resolve("tomcat.pid")), "Tomcat's JVM still runs after catalina.sh stop");
    }

    /** Stops Tomcat if it runs; for the end of a failed test. */
    void stopQuietly() {
        if (Files.exists(home.resolve("tomcat.pid"))) {
            try {
                run(home, List.of(home.resolve("bin/catalina.sh").toString(), "stop", String.valueOf(STOP_PATIENCE_SECONDS),
                        "-force"), environment(), home.resolve("logs/stop.txt"));
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("cannot stop Tomcat in " + home, e);
            }
        }
    }

    /** {@code GET /porthole/api/health}'s status, or -1 when nothing answers. */
    int health() throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "api/health")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A command of Tomcat's manager application ({@code /manager/text/...}); answers its text. */
    String manager(String command) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString((MANAGER_USER + ":" + MANAGER_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/manager/text/" + command)).header("Authorization", "Basic " + credentials)
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), command + ": " + answer.body());
        return answer.body();
    }

    /** A heap dump of Tomcat's JVM into its logs folder, for a failure to be looked into; answers its path. */
    Path heapDump(String name) throws IOException, InterruptedException {
        Path dump = home.resolve("logs").resolve(name + ".hprof");
        String pid = Files.readString(home.resolve("tomcat.pid")).trim();
        run(home, List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), pid, "GC.heap_dump",
                dump.toString()), Map.of(), home.resolve("logs/jcmd.txt"));
        return dump;
    }

    /** The threads of Tomcat's JVM and their stacks, as {@code jcmd Thread.print} writes them. */
    String threadDump() throws IOException, InterruptedException {
        Path dump = home.resolve("logs/threads.txt");
        String pid = Files.readString(home.resolve("tomcat.pid")).trim();
        run(home, List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), pid, "Thread.print"),
                Map.of(), dump);
        return Files.readString(dump);
    }

    String catalinaOut() throws IOException {
        Path out = home.resolve("logs/catalina.out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    /** Every line Tomcat logged since it was unpacked: catalina.out and the logs of each host and context. */
    List<String> logLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> logs = Files.list(home.resolve("logs"))) {
            for (Path log : logs.filter(p -> p.getFileName().toString().matches("(catalina\\.out|.*\\.log)")).sorted().toList()) {
                Files.readAllLines(log).forEach(line -> lines.add(log.getFileName() + ": " + line));
            }
        }
        return lines;
    }

    private Map<String, String> environment() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"), "CATALINA_PID", home.resolve("tomcat.pid").toString());
    }

    /** Runs {@code command} in {@code dir} with the machine's environment minus Tomcat's and Java's own settings. */
    private static int run(Path dir, List<String> command, Map<String, String> env, Path output)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CATALINA_") || name.startsWith("JAVA_")
                || name.equals("JRE_HOME") || name.equals("JDK_JAVA_OPTIONS"));
        builder.environment().putAll(env);
        if (output != null) {
            builder.redirectOutput(output.toFile());
        } else {
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Process process = builder.start();
        if (!process.waitFor(STOP_PATIENCE_SECONDS + 30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not return");
        }
        return process.exitValue();
    }

    /**
     * The hash of {@code password} by the command of deploy/tomcat-users.xml's comment, as written there: from its
     * {@code IFS= read} line to its {@code unset PW}, run by bash with the password on its input.
     */
    private String hashAsDocumented(String password) throws IOException, InterruptedException {
        String comment = ShippedFile.read("tomcat-users.xml").text();
        Matcher command = Pattern.compile("(?s)\\n\\s*(IFS= read .*?unset PW)\\n").matcher(comment);
        assertTrue(command.find(), "deploy/tomcat-users.xml gives no hashing command");
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", command.group(1)).redirectError(ProcessBuilder.Redirect.DISCARD);
        bash.environment().put("CATALINA_HOME", home.toString());
        bash.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        Process process = bash.start();
        process.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "the hashing command failed: " + out);
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }

    private static int countDifferentLines(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        int different = 0;
        for (int i = 0; i < a.length; i++) {
            different += a[i].equals(b[i]) ? 0 : 1;
        }
        return different;
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 4000));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
