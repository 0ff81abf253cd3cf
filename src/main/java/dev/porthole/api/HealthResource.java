package dev.porthole.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code GET /api/health}: answers without a session, for load balancers and start-up scripts. */
@Path("health")
@Tag(name = "operations")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    @GET
    @Operation(summary = "Whether Porthole runs", description = "No session needed.")
    @ApiResponse(responseCode = "200", description = "{\"status\":\"ok\"}",
            content = @Content(schema = @Schema(type = "object", example = "{\"status\":\"ok\"}")))
    public Map<String, String> health() {
        return Map.of("status", "ok");
    }
}
