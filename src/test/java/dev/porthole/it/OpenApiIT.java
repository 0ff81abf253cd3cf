package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document as a client generator reads it: valid, served without a session in JSON and YAML, and
 * complete: every method of every JAX-RS resource class (found by reflection over the API package, not from the
 * document's own list), the two sockets, the error body on every error answer, both security schemes.
 */
@ExtendWith(TestServer.class)
class OpenApiIT {
    private static final java.nio.file.Path API_CLASSES = java.nio.file.Path.of("target/classes/dev/porthole/api");

    @Test
    void theDocumentIsValidOpenApiInJsonAndYamlWithoutASession(TestServer.Running server) {
        ApiClient anonymous = server.client();
        ApiClient.Response json = anonymous.get("api/openapi.json");
        assertEquals(200, json.status(), json.body());
        ApiClient.Response yaml = anonymous.get("api/openapi.yaml");
        assertEquals(200, yaml.status(), yaml.body());
        OpenAPI fromJson = parse(json.body());
        OpenAPI fromYaml = parse(yaml.body());
        assertEquals(fromJson, fromYaml, "the YAML says what the JSON says");
        assertEquals("/api", fromJson.getServers().get(0).getUrl());
    }

    @Test
    void everyResourceMethodIsDescribed(TestServer.Running server) throws Exception {
        OpenAPI api = parse(server.client().get("api/openapi.json").body());
        List<String> missing = new ArrayList<>();
        int found = 0;
        for (Class<?> resource : resourceClasses()) {
            for (Method method : resource.getDeclaredMethods()) {
                String verb = httpMethod(method);
                if (verb == null) {
                    continue;
                }
                found++;
                String path = join(resource.getAnnotation(Path.class).value(),
                        method.isAnnotationPresent(Path.class) ? method.getAnnotation(Path.class).value() : "");
                PathItem item = api.getPaths().get(path);
                Operation operation = item == null ? null : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(verb));
                if (operation == null) {
                    missing.add(verb + " " + path + " (" + resource.getSimpleName() + "." + method.getName() + ")");
                } else {
                    assertNotNull(operation.getSummary(), verb + " " + path + " has no summary");
                    assertTrue(operation.getResponses().keySet().stream().anyMatch(s -> s.startsWith("2")),
                            verb + " " + path + " has no success answer");
                    operation.getResponses().forEach((status, response) -> assertTrue(!status.startsWith("2")
                            || status.equals("204") || response.getContent() != null,
                            verb + " " + path + " " + status + " has no body"));
                }
            }
        }
        assertTrue(found >= 20, "found only " + found + " resource methods: is the scan looking in the right place?");
        assertTrue(missing.isEmpty(), "not in the OpenAPI document: " + missing);
    }

    @Test
    void errorsSecurityAndSocketsAreDescribed(TestServer.Running server) {
        OpenAPI api = parse(server.client().get("api/openapi.json").body());
        Map<String, SecurityScheme> schemes = api.getComponents().getSecuritySchemes();
        assertEquals(SecurityScheme.In.COOKIE, schemes.get("session").getIn());
        assertEquals("session", schemes.get("session").getName());
        assertEquals("bearer", schemes.get("token").getScheme());
        Schema<?> error = api.getComponents().getSchemas().get("ErrorBody");
        assertEquals(List.of("error"), List.copyOf(error.getProperties().keySet()));

        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((verb, operation) -> {
            String where = verb + " " + path;
            operation.getResponses().forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertEquals("#/components/schemas/ErrorBody", errorRef(response), where + " " + status);
                }
            });
            boolean open = operation.getSecurity() != null && operation.getSecurity().isEmpty();
            assertEquals(open, List.of("/auth/login", "/health", "/openapi.json", "/openapi.yaml", "/hawser/connect")
                    .contains(path), where + " is open without a session: " + open);
            assertTrue(open || operation.getResponses().containsKey("401"), where + " does not say 401");
        }));

        Operation create = api.getPaths().get("/containers/{id}/exec").getPost();
        assertEquals("#/components/schemas/ExecRequest",
                create.getRequestBody().getContent().get("application/json").getSchema().get$ref());
        for (String status : List.of("200", "400", "401", "403", "404", "409", "429", "500", "502")) {
            assertTrue(create.getResponses().containsKey(status), "exec create does not say " + status);
        }
        Schema<?> connectionInfo = api.getComponents().getSchemas().get("ConnectionInfo");
        assertTrue(connectionInfo.getDescription().contains("hawser-edge"), connectionInfo.getDescription());

        Operation attach = api.getPaths().get("/containers/exec/{execId}/attach").getGet();
        assertTrue(attach.getResponses().containsKey("101"));
        assertTrue(attach.getDescription().contains("porthole.binary") && attach.getDescription().contains("4401"));
        Operation agents = api.getPaths().get("/hawser/connect").getGet();
        assertTrue(agents.getDescription().contains("hello"));
    }

    private static String errorRef(ApiResponse response) {
        return response.getContent() == null || response.getContent().get("application/json") == null ? null
                : response.getContent().get("application/json").getSchema().get$ref();
    }

    /** Parses and validates as openapi-generator and Swagger UI do; any message is a defect of the document. */
    private static OpenAPI parse(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(), "invalid: " + result.getMessages());
        assertNotNull(result.getOpenAPI(), document);
        return result.getOpenAPI();
    }

    private static List<Class<?>> resourceClasses() throws IOException, ClassNotFoundException {
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.list(API_CLASSES)) {
            for (java.nio.file.Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    Class<?> type = Class.forName("dev.porthole.api." + name.substring(0, name.length() - 6));
                    if (type.isAnnotationPresent(Path.class)) {
                        classes.add(type);
                    }
                }
            }
        }
        assertFalse(classes.isEmpty(), "no resource classes in " + API_CLASSES);
        return classes;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    private static String join(String classPath, String methodPath) {
        String path = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
