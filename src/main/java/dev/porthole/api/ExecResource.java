package dev.porthole.api;

import dev.porthole.security.SessionUsers;
import dev.porthole.terminal.ExecService;
import dev.porthole.terminal.TerminalSize;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** The exec API: create an exec instance, resize it. Attaching is the WebSocket endpoint's job. */
@Path("containers")
@Tag(name = "terminals")
@Produces(MediaType.APPLICATION_JSON)
public final class ExecResource {
    private final ExecService exec;
    private final JsonBodies bodies;

    ExecResource(ExecService exec, JsonBodies bodies) {
        this.exec = exec;
        this.bodies = bodies;
    }

    @POST
    @Path("{id}/exec")
    @Operation(summary = "Create an exec instance", description = "An interactive shell with a TTY, stdin and "
            + "TERM=xterm-256color, to be attached within exec.attach-timeout at the terminal socket "
            + "/api/containers/exec/{execId}/attach?envId=N. The execId is Porthole's own, single-use, and belongs to "
            + "the user who created it.")
    @ApiResponse(responseCode = "200", description = "created", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "envId missing or not a number; malformed JSON; unknown fields; "
            + "a badly formed shell, user or container id")
    @ApiResponse(responseCode = "403", description = "no exec permission on this environment; a foreign Origin")
    @ApiResponse(responseCode = "404", description = "unknown environment; no such container")
    @ApiResponse(responseCode = "409", description = "the container is not running")
    @ApiResponse(responseCode = "415", description = "a body type an HTML form can send")
    @ApiResponse(responseCode = "429", description = "a limit is reached; the message names its key")
    @ApiResponse(responseCode = "500", description = "the engine refused, in its own words")
    @ApiResponse(responseCode = "502", description = "the engine cannot be reached, naming the environment and the cause")
    public ExecService.Created create(@Context HttpServletRequest request,
            @Parameter(description = "container id, id prefix or name") @PathParam("id") String container,
            @Parameter(description = "the environment's id", required = true, schema = @Schema(type = "integer", minimum = "1"))
            @QueryParam("envId") String envId,
            @RequestBody(description = "may be empty", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ExecRequest.class)))
            String body) {
        ExecRequest spec = bodies.read(body, ExecRequest.class);
        return exec.create(SessionUsers.require(request), SessionUsers.credential(request), request.getRemoteAddr(), envId,
                container, spec.shell(), spec.user());
    }

    @POST
    @Path("exec/{execId}/resize")
    @Operation(summary = "Resize a terminal", description = "Before the attach the size is kept and applied when "
            + "the process starts; without one the terminal starts at 24x80.")
    @ApiResponse(responseCode = "200", description = "the size applied", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "h or w not a whole number from 1 to 1000; envId missing or not "
            + "the exec instance's; an execId that is not 32 hex digits")
    @ApiResponse(responseCode = "403", description = "no exec permission on this environment; a foreign Origin")
    @ApiResponse(responseCode = "404", description = "unknown environment; an unknown, expired, finished or foreign execId")
    public TerminalSize resize(@Context HttpServletRequest request,
            @Parameter(description = "the execId of the create's answer", schema = @Schema(pattern = "[0-9a-f]{32}"))
            @PathParam("execId") String execId,
            @Parameter(description = "the environment's id", required = true, schema = @Schema(type = "integer", minimum = "1"))
            @QueryParam("envId") String envId,
            @Parameter(description = "rows", required = true, schema = @Schema(type = "integer", minimum = "1", maximum = "1000"))
            @QueryParam("h") String rows,
            @Parameter(description = "columns", required = true, schema = @Schema(type = "integer", minimum = "1", maximum = "1000"))
            @QueryParam("w") String cols) {
        return exec.resize(SessionUsers.require(request), SessionUsers.credential(request), execId, envId, rows, cols);
    }

}
