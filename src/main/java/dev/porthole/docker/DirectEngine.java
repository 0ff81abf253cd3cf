package dev.porthole.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * An engine the server connects to itself (unix socket, TCP, TLS), reached through docker-java.
 *
 * <p>Three HTTP clients: calls that answer at once go through one with a read timeout, while terminal streams
 * use one without, because a read timeout would kill every shell that sits idle for longer; the ping has one of
 * its own with a short timeout, so that a page listing environments never waits long for a dead engine. The
 * container events that keep {@link ContainerTable} arrive on a connection of their own too.
 */
public final class DirectEngine implements DockerEngine {
    private static final byte[] START_PLAIN = "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.US_ASCII);

    private final Environment environment;
    /** The TLS context of an https environment, for its connections of their own (events, terminals); else null. */
    private final SSLContext tls;
    /** The Host header of requests on a connection of their own. */
    private final String host;
    private final DockerHttpClient callClient;
    private final DockerClient docker;
    private final DockerClient pinger;
    private final ExecInstances execs;
    /** {@code /v1.41} when the environment names an API version; docker-java adds it to its own calls. */
    private final String pathPrefix;
    /** The containers as the engine's events tell them, so that exec create need not wait for the engine. */
    private final ContainerTable containerTable = new ContainerTable();
    /** Keeps {@link #containerTable} current; null when the settings turn it off. */
    private final ContainerWatch watch;

    /**
     * Makes the clients; an https environment's PEM files are read here, once. Throws 502 naming the file when
     * they cannot be used, since the engine cannot be reached without them. {@code followContainers} starts the
     * thread that follows the engine's container events (see {@link #terminalExec}).
     */
    public DirectEngine(Environment environment, Duration pingTimeout, boolean followContainers) {
        this.environment = environment;
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(environment.dockerHost().toString())
                .withDockerTlsVerify(false); // TLS is the transport's sslConfig below, never DOCKER_TLS_VERIFY
        if (environment.apiVersion() != null) {
            builder.withApiVersion(environment.apiVersion());
        }
        DefaultDockerClientConfig config = builder.build();
        SSLConfig sslConfig = null;
        SSLContext context = null;
        if (environment.tls() != null) {
            try {
                context = PemTls.context(environment);
                SSLContext made = context;
                sslConfig = () -> made;
            } catch (IllegalArgumentException e) {
                throw new PortholeException(Problem.ENGINE_UNREACHABLE, environment + " is unreachable: " + e.getMessage(), e);
            }
        }
        this.tls = context;
        this.host = "socket".equals(environment.type()) ? "docker" : environment.url().getHost() + ":" + environment.port();
        this.pathPrefix = environment.apiVersion() == null ? "" : "/v" + environment.apiVersion();
        // The read timeout also bounds the TLS handshake of calls: an engine that accepts and never answers fails.
        this.callClient = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(sslConfig)
                .connectionTimeout(environment.connectTimeout())
                .responseTimeout(environment.readTimeout())
                .maxConnections(64)
                .build();
        this.docker = DockerClientImpl.getInstance(config, callClient);
        this.execs = new ExecInstances(environment, context, host, pathPrefix, callClient, docker);
        this.pinger = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(sslConfig)
                .connectionTimeout(pingTimeout)
                .responseTimeout(pingTimeout)
                .maxConnections(2)
                .build());
        this.watch = followContainers ? ContainerWatch.start(environment, containerTable, new Events()) : null;
    }

    @Override
    public void ping() {
        try {
            pinger.pingCmd().exec();
        } catch (RuntimeException e) {
            throw EngineFailures.translate(environment, "ping", e);
        }
    }

    @Override
    public List<ContainerSummary> containers() {
        try {
            return docker.listContainersCmd().withShowAll(true).exec().stream()
                    .map(ContainerSummary::of)
                    .toList();
        } catch (RuntimeException e) {
            throw EngineFailures.translate(environment, "container list", e);
        }
    }

    @Override
    public Environment environment() {
        return environment;
    }

    /**
     * Only a container the engine's events say runs is created behind the answer; any other is left to the engine,
     * which refuses it in its own words before the answer.
     */
    @Override
    public EngineExec terminalExec(String container, String shell, String user, String processTag, Executor behind) {
        return DirectExec.create(execs, environment, container, shell, user, processTag,
                knownToRun(container) ? behind : null);
    }

    @Override
    public EngineExec adoptTerminalExec(String container, String shell, String user,
            CompletionStage<String> engineExecId, String processTag) {
        return DirectExec.adopt(execs, environment, engineExecId.toCompletableFuture(), processTag);
    }

    /**
     * Whether {@code container} runs, by what the engine's events last told, without asking it: true when it
     * certainly runs; false otherwise, and the engine must be asked. A container started a moment ago may not be in
     * the table yet.
     */
    private boolean knownToRun(String container) {
        ContainerTable.Seen seen = containerTable.lookup(container);
        return seen != null && seen.state() == ContainerTable.State.RUNNING;
    }

    @Override
    public boolean isRunning(String container) {
        try {
            return Boolean.TRUE.equals(docker.inspectContainerCmd(container).exec().getState().getRunning());
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw EngineFailures.translate(environment, "container " + container, e);
        }
    }

    @Override
    public Integer run(String container, List<String> cmd, String user, Duration timeout) {
        String execId = execs.create(container, cmd, user, List.of(), false);
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(pathPrefix + "/exec/" + execId + "/start")
                .putHeader("Content-Type", "application/json")
                .bodyBytes(START_PLAIN)
                .build();
        try (DockerHttpClient.Response response = callClient.execute(request)) {
            response.getBody().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            throw EngineFailures.translate(environment, "container " + container,
                    e instanceof RuntimeException r ? r : new IllegalStateException(e));
        }
        return awaitExit(execId, System.nanoTime() + timeout.toNanos());
    }

    @Override
    public Captured capture(String container, List<String> cmd, String user, Duration timeout, int maxBytes) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String execId = execs.create(container, cmd, user, List.of(), false);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (ResultCallback.Adapter<Frame> done = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                if (frame.getStreamType() == StreamType.STDOUT) {
                    synchronized (stdout) {
                        stdout.write(frame.getPayload(), 0, Math.max(0, Math.min(frame.getPayload().length, maxBytes - stdout.size())));
                    }
                }
            }
        })) {
            // A command still running at the deadline is cut off: the stream closes and its exit code stays null.
            done.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException e) {
            throw EngineFailures.translate(environment, "container " + container,
                    e instanceof RuntimeException r ? r : new IllegalStateException(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortholeException(Problem.INTERNAL, "interrupted");
        }
        synchronized (stdout) {
            return new Captured(awaitExit(execId, deadline), stdout.toString(StandardCharsets.UTF_8));
        }
    }

    private Integer awaitExit(String execId, long deadline) {
        return ExecState.awaitEndBy(() -> execs.inspect(execId), deadline).exitCode();
    }

    @Override
    public void close() {
        closeQuietly(docker); // closes callClient too
        closeQuietly(pinger);
        if (watch != null) {
            watch.close(); // after the clients: a list under way fails at once, and the watch's thread can end
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing on the way out: nothing left to do with a failure
        }
    }

    /** What {@link ContainerWatch} asks of this engine: its clock, its events on a connection of their own, its containers. */
    private final class Events implements ContainerWatch.Source {
        @Override
        public Instant now() {
            // Failures go to the watch, which starts over later; the clock is only for the events' since.
            String time = docker.infoCmd().exec().getSystemTime();
            // An engine that does not say its time has every event it still holds replayed: more work, same result.
            try {
                return time == null ? Instant.EPOCH : OffsetDateTime.parse(time).toInstant();
            } catch (DateTimeParseException e) {
                return Instant.EPOCH;
            }
        }

        @Override
        public ContainerWatch.Events events(Instant since) throws IOException {
            EngineConnection connection = EngineConnection.open(environment, tls);
            connection.keepAlive();
            return EventStream.open(connection, host, pathPrefix, since);
        }

        @Override
        public List<ContainerSummary> containers() {
            return DirectEngine.this.containers();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortholeException(Problem.INTERNAL, "interrupted");
        }
    }

}
