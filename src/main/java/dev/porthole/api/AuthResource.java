package dev.porthole.api;

import dev.porthole.error.PortholeException;
import dev.porthole.security.SessionUsers;
import dev.porthole.security.SignIn;
import dev.porthole.security.SignedInUser;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Sign in, sign out, and who is signed in. */
@Path("auth")
@Tag(name = "sign-in")
@Produces(MediaType.APPLICATION_JSON)
public final class AuthResource {
    private final SignIn signIn;
    private final JsonBodies bodies;

    AuthResource(SignIn signIn, JsonBodies bodies) {
        this.signIn = signIn;
        this.bodies = bodies;
    }

    @POST
    @Path("login")
    @Operation(summary = "Sign in", description = "Checks the password with the servlet container's realm and answers "
            + "the session cookie `session` (HttpOnly, SameSite=Strict, Secure over HTTPS); the session id changes.")
    @ApiResponse(responseCode = "200", description = "signed in; the roles Porthole read from the realm", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "missing fields, malformed JSON, unknown fields")
    @ApiResponse(responseCode = "401", description = "wrong user name or password (the same for both)")
    @ApiResponse(responseCode = "429", description = "too many failed sign-ins of this name or address: try again later")
    public SessionInfo login(@Context HttpServletRequest request, @Context HttpServletResponse response,
            @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LoginRequest.class))) String body) {
        LoginRequest login = bodies.read(body, LoginRequest.class);
        if (login.username() == null || login.username().isBlank() || login.password() == null) {
            throw PortholeException.badRequest("username and password are required");
        }
        if (login.username().length() > 256 || login.password().length() > 1024) {
            throw PortholeException.badRequest("username or password is too long");
        }
        if (login.username().chars().anyMatch(Character::isISOControl)) {
            // No realm has such names; refused here, they never reach a realm's query or the log.
            throw PortholeException.badRequest("username must not contain control characters");
        }
        SignedInUser user = signIn.signIn(request, response, login.username(), login.password());
        return new SessionInfo(user.name(), user.roles());
    }

    @POST
    @Path("logout")
    @Operation(summary = "Sign out", description = "Ends the session, and every terminal it opened (close 4401).")
    @ApiResponse(responseCode = "204", description = "signed out")
    public Response logout(@Context HttpServletRequest request, @Context HttpServletResponse response) {
        signIn.signOut(request, response);
        return Response.noContent().build();
    }

    @GET
    @Path("session")
    @Operation(summary = "Who is signed in")
    @ApiResponse(responseCode = "200", description = "the user and the roles of the session or API token", useReturnTypeSchema = true)
    public SessionInfo session(@Context HttpServletRequest request) {
        SignedInUser user = SessionUsers.require(request);
        return new SessionInfo(user.name(), user.roles());
    }
}
