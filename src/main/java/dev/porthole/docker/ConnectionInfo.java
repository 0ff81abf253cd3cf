package dev.porthole.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;

/**
 * How this server reaches an environment's engine, as the seed's {@code connectionInfo} describes it:
 * {@code {"type":"socket","host":"/var/run/docker.sock"}} or {@code {"type":"http","host":"10.0.0.5","port":2375}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionInfo(String type, String host, Integer port) {

    static ConnectionInfo of(URI dockerHost, boolean tls) {
        if ("unix".equals(dockerHost.getScheme())) {
            return new ConnectionInfo("socket", dockerHost.getPath(), null);
        }
        int port = dockerHost.getPort() > 0 ? dockerHost.getPort() : (tls ? 2376 : 2375);
        return new ConnectionInfo(tls ? "https" : "http", dockerHost.getHost(), port);
    }
}
