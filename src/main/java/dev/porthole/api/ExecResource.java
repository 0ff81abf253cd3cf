package dev.porthole.api;

import dev.porthole.security.SessionUsers;
import dev.porthole.terminal.ExecService;
import dev.porthole.terminal.TerminalSize;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/** The seed's exec API: create an exec instance, resize it. Attaching is the WebSocket endpoint's job. */
@Path("containers")
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
    public ExecService.Created create(@Context HttpServletRequest request, @PathParam("id") String container,
            @QueryParam("envId") String envId, String body) {
        ExecRequest spec = bodies.read(body, ExecRequest.class);
        return exec.create(SessionUsers.require(request), SessionUsers.credential(request), request.getRemoteAddr(), envId,
                container, spec.shell(), spec.user());
    }

    @POST
    @Path("exec/{execId}/resize")
    public TerminalSize resize(@Context HttpServletRequest request, @PathParam("execId") String execId,
            @QueryParam("envId") String envId, @QueryParam("h") String rows, @QueryParam("w") String cols) {
        return exec.resize(SessionUsers.require(request), SessionUsers.credential(request), execId, envId, rows, cols);
    }

}
