package dev.porthole.api;

import dev.porthole.docker.EnvironmentAdmin;
import dev.porthole.security.SignIn;
import dev.porthole.terminal.ExecService;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** Wires the REST resources under {@code /api} with the services they call. */
public final class ApiApplication extends ResourceConfig {

    public ApiApplication(ExecService exec, EnvironmentAdmin environmentAdmin, SignIn signIn) {
        JsonBodies bodies = new JsonBodies();
        registerInstances(new ExecResource(exec, bodies), new AuthResource(signIn, bodies), new HealthResource(),
                new EnvironmentAdminResource(environmentAdmin, bodies));
        register(JacksonFeature.withoutExceptionMappers());
        register(new ErrorMappers.Porthole());
        register(new ErrorMappers.Jaxrs());
        register(new ErrorMappers.Unexpected());
        property(ServerProperties.WADL_FEATURE_DISABLE, true);
        property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
    }
}
