package dev.porthole.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The calls on the exec instances of an engine the server reaches itself, by the engine's id of each: create (for
 * terminals and short commands alike), and for a terminal's, start, resize and inspect.
 */
final class ExecInstances implements DirectExec.Calls {
    private final Environment environment;
    /** The TLS context of an https environment, for the terminals' own connections; null for a plain one. */
    private final SSLContext tls;
    /** The Host header of a terminal's start request. */
    private final String host;
    private final String pathPrefix;
    private final ExecCreateCall execCreate;
    private final DockerClient docker;

    ExecInstances(Environment environment, SSLContext tls, String host, String pathPrefix, DockerHttpClient calls,
            DockerClient docker) {
        this.environment = environment;
        this.tls = tls;
        this.host = host;
        this.pathPrefix = pathPrefix;
        this.execCreate = new ExecCreateCall(calls, pathPrefix);
        this.docker = docker;
    }

    @Override
    public String createTty(String container, List<String> cmd, String user, List<String> env) {
        return create(container, cmd, user, env, true);
    }

    /** Creates an exec instance and answers the engine's id for it; on the transport itself, see {@link ExecCreateCall}. */
    String create(String container, List<String> cmd, String user, List<String> env, boolean tty) {
        try {
            return execCreate.create(container, cmd, user, env, tty);
        } catch (RuntimeException e) {
            throw EngineFailures.translate(environment, "container " + container, e);
        }
    }

    /**
     * Starts the exec on a connection of its own rather than through docker-java: its hijacking transport pumps
     * keystrokes on a thread it starts per stream, which is a thread per terminal on top of the reader's.
     */
    @Override
    public ExecStream start(String execId) {
        EngineConnection connection;
        try {
            connection = EngineConnection.open(environment, tls);
        } catch (IOException e) {
            throw new PortholeException(Problem.ENGINE_UNREACHABLE,
                    environment + " is unreachable: " + EngineFailures.cause(environment, e), e);
        }
        try {
            return UpgradedExecStream.start(connection, host, pathPrefix + "/exec/" + execId + "/start");
        } catch (UpgradedExecStream.Refused e) {
            connection.close();
            throw new PortholeException(EngineFailures.problemOf(e.status),
                    "the engine of " + environment + " refused to start the exec instance: " + e.getMessage(), e);
        } catch (IOException e) {
            connection.close();
            throw new PortholeException(Problem.ENGINE_UNREACHABLE,
                    environment + " is unreachable: " + EngineFailures.cause(environment, e), e);
        }
    }

    @Override
    public void resize(String execId, int rows, int cols) {
        try {
            docker.resizeExecCmd(execId).withSize(rows, cols).exec();
        } catch (RuntimeException e) {
            throw EngineFailures.translate(environment, "exec instance", e);
        }
    }

    @Override
    public ExecState inspect(String execId) {
        try {
            InspectExecResponse response = docker.inspectExecCmd(execId).exec();
            return new ExecState(Boolean.TRUE.equals(response.isRunning()), response.getExitCode());
        } catch (RuntimeException e) {
            throw EngineFailures.translate(environment, "exec instance", e);
        }
    }
}
