package dev.porthole.docker;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One environment as the admin API shows it: the settings as configured (TLS files by path; a key's contents are
 * never read into an answer) and the {@code connectionInfo} that exec answers carry.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentDetails(int id, String name, String url, EnvironmentSpec.Tls tls, String apiVersion,
        String connectTimeout, String readTimeout, ConnectionInfo connectionInfo, String type, Boolean agentTokenIssued) {

    static EnvironmentDetails of(Environment environment, EnvironmentSpec spec) {
        boolean edge = environment.isEdge();
        return new EnvironmentDetails(environment.id(), environment.name(), spec.url(), spec.tls(), environment.apiVersion(),
                millis(environment.connectTimeout()), millis(environment.readTimeout()), environment.connectionInfo(),
                edge ? Environment.EDGE_SCHEME : null, edge ? environment.agentTokenSha256() != null : null);
    }

    private static String millis(java.time.Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
