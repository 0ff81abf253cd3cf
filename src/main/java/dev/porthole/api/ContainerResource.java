package dev.porthole.api;

import dev.porthole.docker.ContainerService;
import dev.porthole.docker.ContainerSummary;
import dev.porthole.security.SessionUsers;
import dev.porthole.terminal.ShellService;
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
@Produces(MediaType.APPLICATION_JSON)
public final class ContainerResource {
    private final ContainerService containers;
    private final ShellService shells;

    ContainerResource(ContainerService containers, ShellService shells) {
        this.containers = containers;
        this.shells = shells;
    }

    @GET
    public List<ContainerSummary> list(@Context HttpServletRequest request, @QueryParam("envId") String envId) {
        return containers.list(envId, SessionUsers.require(request)::mayView);
    }

    @GET
    @Path("{id}/shells")
    public List<String> shells(@Context HttpServletRequest request, @PathParam("id") String container,
            @QueryParam("envId") String envId) {
        return shells.find(SessionUsers.require(request), envId, container);
    }
}
