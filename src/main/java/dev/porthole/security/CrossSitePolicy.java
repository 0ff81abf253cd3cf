package dev.porthole.security;

import dev.porthole.error.Problem;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses requests that another site could make a browser send: a POST or a socket handshake from a foreign
 * {@code Origin}, or without one where {@code Sec-Fetch-Site} says the browser came from elsewhere; and any POST
 * carrying a body type an HTML form can send, so that even a browser that leaves both headers out cannot post a
 * form into the API. The SameSite=Strict cookie is the third layer.
 */
final class CrossSitePolicy {
    /** Request methods that change nothing; every other one is checked. */
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** The {@code Sec-Fetch-Site} values of a request the page itself made, or a person typed. */
    private static final Set<String> OWN_FETCH = Set.of("same-origin", "none");
    /** The body types an HTML form (or a fetch without a CORS preflight) can send. */
    private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");

    /** Why a request was refused: the status and the message for the client. */
    record Refusal(Problem problem, String message) {
    }

    private final OriginPolicy origins;

    CrossSitePolicy(OriginPolicy origins) {
        this.origins = origins;
    }

    Optional<Refusal> check(HttpServletRequest request) {
        boolean upgrade = RoutedPath.isWebSocketHandshake(request);
        if (!upgrade && SAFE_METHODS.contains(request.getMethod())) {
            return Optional.empty();
        }
        if (!origins.permits(request)) {
            return Optional.of(new Refusal(Problem.FORBIDDEN, "cross-origin request refused"));
        }
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (request.getHeader("Origin") == null && fetchSite != null
                && !OWN_FETCH.contains(fetchSite.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of(new Refusal(Problem.FORBIDDEN, "cross-site request refused"));
        }
        if (!upgrade && isFormType(request.getContentType())) {
            return Optional.of(new Refusal(Problem.UNSUPPORTED_MEDIA_TYPE,
                    "form posts are refused: send JSON with Content-Type application/json"));
        }
        return Optional.empty();
    }

    private static boolean isFormType(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim().toLowerCase(Locale.ROOT);
        return FORM_TYPES.contains(type);
    }
}
