package dev.porthole.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;

/** The engine's hijacked connection after its {@code 101 UPGRADED}, as docker-java's transport gives it. */
final class HijackedStream implements ExecStream {
    private final DockerHttpClient.Response response;
    private final InputStream output;
    private final StdinPipe stdin;

    HijackedStream(DockerHttpClient.Response response, StdinPipe stdin) {
        this.response = response;
        this.output = response.getBody();
        this.stdin = stdin;
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        return output.read(buffer);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        stdin.write(bytes);
    }

    @Override
    public void close() {
        stdin.close();
        response.close();
    }
}
