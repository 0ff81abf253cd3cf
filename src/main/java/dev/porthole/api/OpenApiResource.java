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

/** {@code GET /api/openapi.json} and {@code .yaml}: the API described for tools; no session needed. */
@Path("")
@Tag(name = "operations")
public final class OpenApiResource {
    static final String YAML = "application/yaml";

    private final OpenApiDocument document;

    OpenApiResource(OpenApiDocument document) {
        this.document = document;
    }

    @GET
    @Path("openapi.json")
    @Produces("application/json")
    @Operation(summary = "This document, in JSON", description = "No session needed.")
    @ApiResponse(responseCode = "200", description = "the OpenAPI document",
            content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
    public String json(@Context HttpServletRequest request) {
        return document.json(request.getContextPath());
    }

    @GET
    @Path("openapi.yaml")
    @Produces(YAML)
    @Operation(summary = "This document, in YAML", description = "No session needed.")
    @ApiResponse(responseCode = "200", description = "the OpenAPI document",
            content = @Content(mediaType = YAML, schema = @Schema(type = "object")))
    public String yaml(@Context HttpServletRequest request) {
        return document.yaml(request.getContextPath());
    }
}
