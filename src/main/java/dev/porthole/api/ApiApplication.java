package dev.porthole.api;

import dev.porthole.cluster.Cluster;
import dev.porthole.edge.AgentTokenService;
import dev.porthole.docker.ContainerService;
import dev.porthole.docker.EnvironmentAdmin;
import dev.porthole.docker.EnvironmentService;
import dev.porthole.metrics.Metrics;
import dev.porthole.security.SignIn;
import dev.porthole.security.TokenService;
import dev.porthole.terminal.ExecService;
import dev.porthole.terminal.ShellService;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** Wires the REST resources under {@code /api} with the services they call. */
public final class ApiApplication extends ResourceConfig {

    public ApiApplication(ExecService exec, ShellService shells, EnvironmentService environments,
            EnvironmentAdmin environmentAdmin, ContainerService containers, SignIn signIn, TokenService tokens,
            AgentTokenService agentTokens, Metrics metrics, Cluster cluster) {
        JsonBodies bodies = new JsonBodies();
        List<Object> resources = List.of(new ExecResource(exec, bodies), new EnvironmentResource(environments),
                new EnvironmentAdminResource(environmentAdmin, agentTokens, bodies), new ContainerResource(containers, shells),
                new AuthResource(signIn, bodies), new TokenResource(tokens, bodies), new HealthResource(cluster),
                new MetricsResource(metrics));
        registerInstances(resources.toArray());
        register(new OpenApiResource(() -> new OpenApiDocument(classesOf(resources))));
        register(JacksonFeature.withoutExceptionMappers());
        register(new ErrorMappers.Porthole());
        register(new ErrorMappers.Jaxrs());
        register(new ErrorMappers.Charsets());
        register(new ErrorMappers.Unexpected());
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        // Left false, so that what Jersey refuses before any resource (a header it cannot parse) goes through the
        // container's sendError to the web app's JSON error page; set, it resets the answer and sends it empty.
        property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, false);
    }

    /** The classes the OpenAPI document is read from: every resource, itself included. */
    static Set<Class<?>> classesOf(List<Object> resources) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        resources.forEach(resource -> classes.add(resource.getClass()));
        classes.add(OpenApiResource.class);
        return classes;
    }
}
