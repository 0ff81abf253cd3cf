package dev.porthole.api;

import dev.porthole.security.ApiToken;
import dev.porthole.security.SessionUsers;
import dev.porthole.security.TokenService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** API tokens for non-browser clients: issue (the token is shown this once), list, revoke. Admins only. */
@Path("tokens")
@Tag(name = "tokens")
@Produces(MediaType.APPLICATION_JSON)
public final class TokenResource {
    private final TokenService tokens;
    private final JsonBodies bodies;

    TokenResource(TokenService tokens, JsonBodies bodies) {
        this.tokens = tokens;
        this.bodies = bodies;
    }

    @POST
    @Operation(summary = "Issue an API token", description = "The token acts as its user with the roles recorded "
            + "now, as `Authorization: Bearer ph_...` on every /api path and the terminal handshake. Shown this once; "
            + "only its SHA-256 is kept. Admins only.")
    @ApiResponse(responseCode = "201", description = "the token and what it stands for",
            content = @Content(schema = @Schema(implementation = dev.porthole.security.TokenService.Issued.class)))
    @ApiResponse(responseCode = "400", description = "a bad user name, an unknown role, no role, a bad note")
    @ApiResponse(responseCode = "403", description = "not an admin; a foreign Origin")
    public Response issue(@Context HttpServletRequest request,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenRequest.class)))
            String body) {
        TokenRequest spec = bodies.read(body, TokenRequest.class);
        TokenService.Issued issued = tokens.issue(SessionUsers.require(request), request.getRemoteAddr(), spec.user(),
                spec.roles(), spec.note());
        return Response.status(Response.Status.CREATED).entity(issued).build();
    }

    @GET
    @Operation(summary = "The API tokens", description = "Everything but the tokens and their hashes. Admins only.")
    @ApiResponse(responseCode = "200", description = "the tokens",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = ApiToken.Summary.class))))
    @ApiResponse(responseCode = "403", description = "not an admin")
    public List<ApiToken.Summary> list(@Context HttpServletRequest request) {
        return tokens.list(SessionUsers.require(request));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an API token", description = "Its open terminals close with 4401. Admins only.")
    @ApiResponse(responseCode = "204", description = "revoked")
    @ApiResponse(responseCode = "400", description = "an id that is not 16 hex digits")
    @ApiResponse(responseCode = "403", description = "not an admin; a foreign Origin")
    @ApiResponse(responseCode = "404", description = "unknown token")
    public Response revoke(@Context HttpServletRequest request,
            @Parameter(description = "the token's id", schema = @Schema(pattern = "[0-9a-f]{16}")) @PathParam("id") String id) {
        tokens.revoke(SessionUsers.require(request), request.getRemoteAddr(), id);
        return Response.noContent().build();
    }
}
