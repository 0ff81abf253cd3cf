package dev.porthole.docker;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An engine inside this JVM whose every container is a shell that writes back what it is sent: the exec streams
 * of its terminals are real unix sockets, answered by {@link EchoLoop}, so a terminal on it runs the same relay, the
 * same selector reads and the same socket writes as one on a real engine. The server's warm-up types on it; it
 * has no containers to list and its processes end with their streams.
 */
public final class EchoEngine implements DockerEngine {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Environment environment;
    private final Path directory;
    private final Path socket;
    private final EchoLoop loop;
    private final Thread thread;
    private final AtomicLong execIds = new AtomicLong();

    private EchoEngine(Environment environment, Path directory, Path socket, EchoLoop loop, Thread thread) {
        this.environment = environment;
        this.directory = directory;
        this.socket = socket;
        this.loop = loop;
        this.thread = thread;
    }

    /**
     * Starts an echo engine as environment {@code id} named {@code name}, listening on a socket in a new private
     * directory; its one thread comes from {@code threads}.
     */
    public static EchoEngine start(int id, String name, ThreadFactory threads) throws IOException {
        Path directory = Files.createTempDirectory("porthole-echo-");
        Path socket = directory.resolve("echo.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            selector = Selector.open();
            EchoLoop loop = new EchoLoop(server, selector);
            Thread thread = threads.newThread(loop);
            Environment environment = new Environment(id, name, URI.create("unix://" + socket), TIMEOUT, TIMEOUT);
            EchoEngine engine = new EchoEngine(environment, directory, socket, loop, thread);
            thread.start();
            return engine;
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            Files.deleteIfExists(socket);
            Files.deleteIfExists(directory);
            throw e;
        }
    }

    @Override
    public Environment environment() {
        return environment;
    }

    @Override
    public void ping() {
    }

    @Override
    public List<ContainerSummary> containers() {
        return List.of();
    }

    @Override
    public EngineExec terminalExec(String container, String shell, String user, String processTag, Executor behind) {
        return new Exec("echo" + execIds.incrementAndGet(), processTag);
    }

    /** Its processes end with their streams: nothing is left for the process reaper to find. */
    @Override
    public boolean isRunning(String container) {
        return false;
    }

    @Override
    public Integer run(String container, List<String> cmd, String user, Duration timeout) {
        return 0;
    }

    @Override
    public Captured capture(String container, List<String> cmd, String user, Duration timeout, int maxBytes) {
        return new Captured(0, "");
    }

    /** Stops the echo thread, which closes every stream, and removes the socket. */
    @Override
    public void close() {
        try {
            loop.stop();
            thread.join(TIMEOUT.toMillis());
            Files.deleteIfExists(socket);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a socket file left in a temporary directory harms no one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One terminal's exec: started through the same start request and response head as a real engine's. */
    private final class Exec implements EngineExec {
        private final String id;
        private final String processTag;

        Exec(String id, String processTag) {
            this.id = id;
            this.processTag = processTag;
        }

        @Override
        public CompletionStage<Void> created() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<String> engineExecId() {
            return CompletableFuture.completedFuture(id);
        }

        @Override
        public ExecStream start() {
            try {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(socket));
                return UpgradedExecStream.start(new EngineConnection.OfChannel(channel), "docker",
                        "/exec/" + id + "/start");
            } catch (IOException e) {
                throw new PortholeException(Problem.ENGINE_UNREACHABLE, environment + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void resize(int rows, int cols) {
        }

        /** Its process is its stream: whoever asks is asking after the stream, and so the process, ended. */
        @Override
        public ExecState inspect() {
            return new ExecState(false, 0);
        }

        @Override
        public ProcessMark processMark() {
            return ProcessMark.tagged(processTag);
        }
    }
}
