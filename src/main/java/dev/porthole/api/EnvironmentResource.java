package dev.porthole.api;

import dev.porthole.docker.EnvironmentService;
import dev.porthole.docker.EnvironmentSummary;
import dev.porthole.security.SessionUsers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code GET /api/environments}: the environments and whether their engines answer. */
@Path("environments")
@Tag(name = "environments")
@Produces(MediaType.APPLICATION_JSON)
public final class EnvironmentResource {
    private final EnvironmentService environments;

    EnvironmentResource(EnvironmentService environments) {
        this.environments = environments;
    }

    @GET
    @Operation(summary = "The environments", description = "Those the caller may see, each with whether its engine "
            + "answers a ping right now (bounded by docker.ping-timeout), and for an edge environment its agent.")
    @ApiResponse(responseCode = "200", description = "the environments", useReturnTypeSchema = true)
    public List<EnvironmentSummary> list(@Context HttpServletRequest request) {
        return environments.list(SessionUsers.require(request)::mayView);
    }
}
