package dev.porthole.api;

import dev.porthole.error.PortholeException;
import dev.porthole.metrics.Metrics;
import dev.porthole.security.Roles;
import dev.porthole.security.SessionUsers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /api/metrics}: every meter in Prometheus's text format, for an admin or a scraper's token. */
@Path("metrics")
@Tag(name = "operations")
public final class MetricsResource {
    private final Metrics metrics;

    MetricsResource(Metrics metrics) {
        this.metrics = metrics;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The metrics, for Prometheus", description = "Porthole's meters (porthole_*) and the JVM's, "
            + "in Prometheus's text format 0.0.4. An admin, or a user or API token with the role porthole-metrics.")
    @ApiResponse(responseCode = "200", description = "every meter",
            content = @Content(mediaType = Metrics.CONTENT_TYPE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "403", description = "neither an admin nor porthole-metrics")
    public Response scrape(@Context HttpServletRequest request) {
        if (!SessionUsers.require(request).mayReadMetrics()) {
            throw PortholeException.forbidden("only an admin or a " + Roles.METRICS + " user or token may read the metrics");
        }
        return Response.ok(metrics.scrape(), Metrics.CONTENT_TYPE).build();
    }
}
