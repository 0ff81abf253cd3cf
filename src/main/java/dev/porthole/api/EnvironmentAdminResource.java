package dev.porthole.api;

import dev.porthole.docker.EnvironmentAdmin;
import dev.porthole.docker.EnvironmentDetails;
import dev.porthole.docker.EnvironmentSpec;
import dev.porthole.edge.AgentTokenService;
import dev.porthole.error.PortholeException;
import dev.porthole.security.Roles;
import dev.porthole.security.SessionUsers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "environments")
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
    @Schema(name = "AgentToken")
    public record AgentToken(@Schema(description = "shown this once") String token) {
    }

    /** Issues a new agent token for a hawser-edge environment, revoking the one before and dropping its agent. */
    @POST
    @Path("{id}/agent-token")
    @Operation(summary = "Issue the agent token of an edge environment", description = "32 random bytes in base64url, "
            + "shown this once; only its SHA-256 is kept. Revokes the previous token and closes the connection it "
            + "authenticated. Admins only.")
    @ApiResponse(responseCode = "200", description = "the new token", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "an id that is not a positive number")
    @ApiResponse(responseCode = "403", description = "not an admin; a foreign Origin")
    @ApiResponse(responseCode = "404", description = "unknown environment")
    @ApiResponse(responseCode = "409", description = "not a hawser-edge environment; no configuration file; set by "
            + "environment variables")
    public AgentToken issueAgentToken(@Context HttpServletRequest request, @Parameter(description = "the environment's id", schema = @Schema(type = "integer", minimum = "1")) @PathParam("id") String id) {
        requireAdmin(request);
        return new AgentToken(agentTokens.issue(id));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One environment as configured", description = "TLS files by path only. Admins only.")
    @ApiResponse(responseCode = "200", description = "the environment", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "an id that is not a positive number")
    @ApiResponse(responseCode = "403", description = "not an admin")
    @ApiResponse(responseCode = "404", description = "unknown environment")
    public EnvironmentDetails get(@Context HttpServletRequest request, @Parameter(description = "the environment's id", schema = @Schema(type = "integer", minimum = "1")) @PathParam("id") String id) {
        requireAdmin(request);
        return admin.get(id);
    }

    @POST
    @Operation(summary = "Add an environment", description = "Written to the configuration file and applied at once. "
            + "Only url is required (none for type hawser-edge); id is optional (the next free one). Admins only.")
    @ApiResponse(responseCode = "201", description = "the new environment",
            content = @Content(schema = @Schema(implementation = EnvironmentDetails.class)))
    @ApiResponse(responseCode = "400", description = "a body that fails any check: unknown field, bad url, tls on a "
            + "non-https url, a TLS file that cannot be read or parsed")
    @ApiResponse(responseCode = "403", description = "not an admin; a foreign Origin")
    @ApiResponse(responseCode = "409", description = "the id exists; no configuration file")
    public Response create(@Context HttpServletRequest request,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EnvironmentSpec.class)))
            String body) {
        requireAdmin(request);
        EnvironmentDetails created = admin.create(bodies.read(body, EnvironmentSpec.class));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace an environment", description = "Replaced as a whole; its terminals close with 1001. "
            + "Admins only.")
    @ApiResponse(responseCode = "200", description = "the environment as it is now", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "a body that fails any check; a body id other than the path's")
    @ApiResponse(responseCode = "403", description = "not an admin; a foreign Origin")
    @ApiResponse(responseCode = "404", description = "unknown environment")
    @ApiResponse(responseCode = "409", description = "no configuration file; set by environment variables")
    public EnvironmentDetails update(@Context HttpServletRequest request, @Parameter(description = "the environment's id", schema = @Schema(type = "integer", minimum = "1")) @PathParam("id") String id,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EnvironmentSpec.class)))
            String body) {
        requireAdmin(request);
        return admin.update(id, bodies.read(body, EnvironmentSpec.class));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove an environment", description = "Its terminals close with 1001. Admins only.")
    @ApiResponse(responseCode = "204", description = "removed")
    @ApiResponse(responseCode = "403", description = "not an admin; a foreign Origin")
    @ApiResponse(responseCode = "404", description = "unknown environment")
    @ApiResponse(responseCode = "409", description = "the last environment; no configuration file; set by environment "
            + "variables")
    public Response delete(@Context HttpServletRequest request, @Parameter(description = "the environment's id", schema = @Schema(type = "integer", minimum = "1")) @PathParam("id") String id) {
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
