package dev.porthole.api;

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
import java.util.function.Supplier;

/**
 * {@code GET /api/openapi.json} and {@code .yaml}: the API described for tools; no session needed. The document is
 * read on the first request, not at start: it costs the start nothing, and should it ever fail (another server's
 * Jackson, say), only this endpoint answers 500 while the terminals work on.
 */
@Path("")
@Tag(name = "operations")
public final class OpenApiResource {
    static final String YAML = "application/yaml";

    private final Supplier<OpenApiDocument> reader;
    private OpenApiDocument document;

    OpenApiResource(Supplier<OpenApiDocument> reader) {
        this.reader = reader;
    }

    private synchronized OpenApiDocument document() {
        if (document == null) {
            document = reader.get();
        }
        return document;
    }

    @GET
    @Path("openapi.json")
    @Produces("application/json")
    @Operation(summary = "This document, in JSON", description = "No session needed.")
    @ApiResponse(responseCode = "200", description = "the OpenAPI document",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
    public String json(@Context HttpServletRequest request) {
        return document().json(request.getContextPath());
    }

    @GET
    @Path("openapi.yaml")
    @Produces(YAML)
    @Operation(summary = "This document, in YAML", description = "No session needed.")
    @ApiResponse(responseCode = "200", description = "the OpenAPI document",
            content = @Content(mediaType = YAML, schema = @Schema(type = "object")))
    public String yaml(@Context HttpServletRequest request) {
        return document().yaml(request.getContextPath());
    }
}
