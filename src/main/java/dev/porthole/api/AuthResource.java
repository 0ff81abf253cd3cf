package dev.porthole.api;

import dev.porthole.error.PortholeException;
import dev.porthole.security.SessionUsers;
import dev.porthole.security.SignIn;
import dev.porthole.security.SignedInUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Sign in, sign out, and who is signed in. */
@Path("auth")
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
    public SessionInfo login(@Context HttpServletRequest request, String body) {
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
        SignedInUser user = signIn.signIn(request, login.username(), login.password());
        return new SessionInfo(user.name(), user.roles());
    }

    @POST
    @Path("logout")
    public Response logout(@Context HttpServletRequest request) {
        signIn.signOut(request);
        return Response.noContent().build();
    }

    @GET
    @Path("session")
    public SessionInfo session(@Context HttpServletRequest request) {
        SignedInUser user = SessionUsers.require(request);
        return new SessionInfo(user.name(), user.roles());
    }
}
