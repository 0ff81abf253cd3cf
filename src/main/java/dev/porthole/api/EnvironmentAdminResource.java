package dev.porthole.api;

import dev.porthole.docker.EnvironmentAdmin;
import dev.porthole.docker.EnvironmentDetails;
import dev.porthole.docker.EnvironmentSpec;
import dev.porthole.edge.AgentTokenService;
import dev.porthole.error.PortholeException;
import dev.porthole.security.Roles;
import dev.porthole.security.SessionUsers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Admins add, read, change and remove environments; each change is kept in the configuration file. */
@Path("environments")
@Produces(MediaType.APPLICATION_JSON)
public final class EnvironmentAdminResource {
    private final EnvironmentAdmin admin;
    private final AgentTokenService agentTokens;
    private final JsonBodies bodies;

    EnvironmentAdminResource(EnvironmentAdmin admin, AgentTokenService agentTokens, JsonBodies bodies) {
        this.admin = admin;
        this.agentTokens = agentTokens;
        this.bodies = bodies;
    }

    /** The token's one showing: {@code {"token":"..."}}. */
    public record AgentToken(String token) {
    }

    /** Issues a new agent token for a hawser-edge environment, revoking the one before and dropping its agent. */
    @POST
    @Path("{id}/agent-token")
    public AgentToken issueAgentToken(@Context HttpServletRequest request, @PathParam("id") String id) {
        requireAdmin(request);
        return new AgentToken(agentTokens.issue(id));
    }

    @GET
    @Path("{id}")
    public EnvironmentDetails get(@Context HttpServletRequest request, @PathParam("id") String id) {
        requireAdmin(request);
        return admin.get(id);
    }

    @POST
    public Response create(@Context HttpServletRequest request, String body) {
        requireAdmin(request);
        EnvironmentDetails created = admin.create(bodies.read(body, EnvironmentSpec.class));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @PUT
    @Path("{id}")
    public EnvironmentDetails update(@Context HttpServletRequest request, @PathParam("id") String id, String body) {
        requireAdmin(request);
        return admin.update(id, bodies.read(body, EnvironmentSpec.class));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id) {
        requireAdmin(request);
        admin.delete(id);
        return Response.noContent().build();
    }

    private static void requireAdmin(HttpServletRequest request) {
        if (!SessionUsers.require(request).mayAdminister()) {
            throw PortholeException.forbidden("only an admin (" + Roles.ADMIN + ") may manage environments");
        }
    }
}
