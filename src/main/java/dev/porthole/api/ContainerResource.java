package dev.porthole.api;

import dev.porthole.docker.ContainerService;
import dev.porthole.docker.ContainerSummary;
import dev.porthole.security.SessionUsers;
import dev.porthole.terminal.ShellService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What the page browses before it opens a terminal: the containers of an environment, the shells of one. */
@Path("containers")
@Tag(name = "containers")
@Produces(MediaType.APPLICATION_JSON)
public final class ContainerResource {
    private final ContainerService containers;
    private final ShellService shells;

    ContainerResource(ContainerService containers, ShellService shells) {
        this.containers = containers;
        this.shells = shells;
    }

    @GET
    @Operation(summary = "The containers of an environment", description = "Every container, running or not; needs a "
            + "view or exec role on the environment.")
    @ApiResponse(responseCode = "200", description = "the containers", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "envId missing or not a number")
    @ApiResponse(responseCode = "403", description = "no role that may see this environment")
    @ApiResponse(responseCode = "404", description = "unknown environment")
    @ApiResponse(responseCode = "502", description = "the engine cannot be reached")
    public List<ContainerSummary> list(@Context HttpServletRequest request,
            @Parameter(description = "the environment's id", required = true, schema = @Schema(type = "integer", minimum = "1"))
            @QueryParam("envId") String envId) {
        return containers.list(envId, SessionUsers.require(request)::mayView);
    }

    @GET
    @Path("{id}/shells")
    @Operation(summary = "The shells a container has", description = "Which of bash, sh, zsh and ash a short "
            + "non-interactive exec finds in the container, best first; needs exec permission on the environment.")
    @ApiResponse(responseCode = "200", description = "program paths, e.g. [\"/bin/bash\", \"/bin/sh\"]; empty when none",
            content = @Content(array = @ArraySchema(schema = @Schema(type = "string"))))
    @ApiResponse(responseCode = "400", description = "envId missing or not a number; a badly formed container id")
    @ApiResponse(responseCode = "403", description = "no exec permission on this environment")
    @ApiResponse(responseCode = "404", description = "unknown environment; no such container")
    @ApiResponse(responseCode = "409", description = "the container is not running")
    @ApiResponse(responseCode = "502", description = "the engine cannot be reached")
    public List<String> shells(@Context HttpServletRequest request,
            @Parameter(description = "container id, id prefix or name") @PathParam("id") String container,
            @Parameter(description = "the environment's id", required = true, schema = @Schema(type = "integer", minimum = "1"))
            @QueryParam("envId") String envId) {
        return shells.find(SessionUsers.require(request), envId, container);
    }
}
