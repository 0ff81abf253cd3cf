package dev.porthole.api;

import dev.porthole.cluster.Cluster;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /api/health}: answers without a session, for load balancers and start-up scripts, and names the node
 * that answered and the members it sees, so that an operator behind a balancer can tell the nodes apart.
 */
@Path("health")
@Tag(name = "operations")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final Cluster cluster;

    HealthResource(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The answer: always {@code ok} when it comes at all. */
    @Schema(name = "Health")
    public record Health(String status, String node, List<String> members) {
    }

    @GET
    @Operation(summary = "Whether Porthole runs, on which node, with which members", description = "No session needed.")
    @ApiResponse(responseCode = "200", description = "this node and the members of its cluster (itself alone without clustering)",
            content = @Content(schema = @Schema(implementation = Health.class,
                    example = "{\"status\":\"ok\",\"node\":\"node-a\",\"members\":[\"node-a\",\"node-b\"]}")))
    public Health health() {
        return new Health("ok", cluster.nodeName(), cluster.members());
    }
}
