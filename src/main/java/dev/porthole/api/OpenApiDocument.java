package dev.porthole.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.porthole.security.AuthFilter;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI document of {@code /api}, read once by swagger-core from the resources and their annotations, then
 * completed by rules that hold for every operation (so that no annotation has to repeat them): each error answer
 * is the {@code {"error"}} body; each operation outside the public paths needs the session cookie or an API token
 * and may answer 401; each POST, PUT and DELETE may answer 403 for a foreign Origin. The two WebSocket endpoints,
 * which OpenAPI cannot describe, are added as their handshakes ({@code GET} answered by 101) with the protocol in
 * words ({@link WebSocketDocs}). Only the {@code servers} entry differs per request: it follows the context path.
 */
final class OpenApiDocument {
    static final String SESSION = "session";
    static final String TOKEN = "token";
    private static final String ERROR_SCHEMA = "ErrorBody";
    private static final String DESCRIPTION = """
            A web terminal into Docker containers. Create an exec instance (`POST /containers/{id}/exec`), attach a \
            WebSocket to it (`/containers/exec/{execId}/attach`, described below as its handshake), resize it, close \
            it. Every error is JSON `{"error": "..."}`. Requests are signed in by the session cookie of \
            `POST /auth/login` or by `Authorization: Bearer ph_...` (an API token); every POST, PUT and DELETE and \
            every socket handshake whose `Origin` is foreign is refused with 403.""";

    private final ObjectNode tree;

    OpenApiDocument(Set<Class<?>> resources) {
        OpenAPI api = new Reader(new SwaggerConfiguration().openAPI(base())).read(resources);
        Map<String, Schema> error = ModelConverters.getInstance().read(ErrorBody.class);
        api.getComponents().getSchemas().putAll(error);
        api.getPaths().forEach(this::complete);
        WebSocketDocs.addTo(api);
        tree = Json.mapper().valueToTree(api);
    }

    private static OpenAPI base() {
        return new OpenAPI()
                .info(new Info().title("Porthole").version("1").description(DESCRIPTION))
                .components(new Components()
                        .addSecuritySchemes(SESSION, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.COOKIE).name("session")
                                .description("The session cookie that POST /auth/login sets (HttpOnly, SameSite=Strict)."))
                        .addSecuritySchemes(TOKEN, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("ph_ and 43 base64url characters")
                                .description("An API token that an admin issued (POST /tokens). A request that names a "
                                        + "token must name a valid one: it never falls back to a cookie.")))
                .security(List.of(new SecurityRequirement().addList(SESSION), new SecurityRequirement().addList(TOKEN)));
    }

    private void complete(String path, PathItem item) {
        boolean open = AuthFilter.isPublic("/api" + path);
        item.readOperationsMap().forEach((method, operation) -> {
            ApiResponses responses = operation.getResponses();
            if (open) {
                operation.setSecurity(List.of());
            } else if (!responses.containsKey("401")) {
                responses.addApiResponse("401", new ApiResponse().description(
                        "no session or API token (`sign in first`), or an invalid one (`invalid or revoked API token`)"));
            }
            boolean changes = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                    || method == PathItem.HttpMethod.DELETE;
            if (changes && !responses.containsKey("403")) {
                responses.addApiResponse("403", new ApiResponse().description("a foreign Origin (cross-site request)"));
            }
            responses.forEach((status, response) -> {
                if (status.charAt(0) >= '4' && response.getContent() == null) {
                    response.setContent(errorContent());
                }
            });
        });
    }

    static Content errorContent() {
        return new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR_SCHEMA)));
    }

    String json(String contextPath) {
        try {
            return Json.pretty().writeValueAsString(withServer(contextPath));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI document", e);
        }
    }

    String yaml(String contextPath) {
        try {
            return Yaml.mapper().writeValueAsString(withServer(contextPath));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI document", e);
        }
    }

    /** The document with its one server: {@code /api} under the web app's context path, on whatever host was asked. */
    private ObjectNode withServer(String contextPath) {
        ObjectNode copy = tree.deepCopy();
        copy.putArray("servers").addObject().put("url", contextPath + "/api");
        return copy;
    }
}
