package dev.porthole.api;

import dev.porthole.security.ApiToken;
import dev.porthole.security.SessionUsers;
import dev.porthole.security.TokenService;
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
@Produces(MediaType.APPLICATION_JSON)
public final class TokenResource {
    private final TokenService tokens;
    private final JsonBodies bodies;

    TokenResource(TokenService tokens, JsonBodies bodies) {
        this.tokens = tokens;
        this.bodies = bodies;
    }

    @POST
    public Response issue(@Context HttpServletRequest request, String body) {
        TokenRequest spec = bodies.read(body, TokenRequest.class);
        TokenService.Issued issued = tokens.issue(SessionUsers.require(request), request.getRemoteAddr(), spec.user(),
                spec.roles(), spec.note());
        return Response.status(Response.Status.CREATED).entity(issued).build();
    }

    @GET
    public List<ApiToken.Summary> list(@Context HttpServletRequest request) {
        return tokens.list(SessionUsers.require(request));
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@Context HttpServletRequest request, @PathParam("id") String id) {
        tokens.revoke(SessionUsers.require(request), request.getRemoteAddr(), id);
        return Response.noContent().build();
    }
}
