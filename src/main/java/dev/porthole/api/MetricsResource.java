package dev.porthole.api;

import dev.porthole.error.PortholeException;
import dev.porthole.metrics.Metrics;
import dev.porthole.security.Roles;
import dev.porthole.security.SessionUsers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /api/metrics}: every meter in Prometheus's text format, for an admin or a scraper's token. */
@Path("metrics")
public final class MetricsResource {
    private final Metrics metrics;

    MetricsResource(Metrics metrics) {
        this.metrics = metrics;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public Response scrape(@Context HttpServletRequest request) {
        if (!SessionUsers.require(request).mayReadMetrics()) {
            throw PortholeException.forbidden("only an admin or a " + Roles.METRICS + " user or token may read the metrics");
        }
        return Response.ok(metrics.scrape(), Metrics.CONTENT_TYPE).build();
    }
}
