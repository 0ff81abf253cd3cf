package dev.porthole.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.Closeable;
import java.io.InputStream;

/**
 * The raw terminal stream of a started exec instance: the engine's hijacked connection after its
 * {@code 101 UPGRADED}. With a TTY it carries no stream headers, so {@link #output()} is exactly what the
 * terminal printed. Closing it drops the connection; it does not end the process (the engine has no API for that).
 */
public final class ExecStream implements Closeable {
    private final DockerHttpClient.Response response;

    ExecStream(DockerHttpClient.Response response) {
        this.response = response;
    }

    public InputStream output() {
        return response.getBody();
    }

    @Override
    public void close() {
        response.close();
    }
}
