package dev.porthole.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Decides whether a request's {@code Origin} may act: the server's own origin and a configured allow-list
 * may; a request without {@code Origin} (a non-browser client) may, since it still needs a session.
 */
public final class OriginPolicy {
    private final Set<String> allowed;

    public OriginPolicy(String allowList) {
        this.allowed = Stream.of(allowList.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(OriginPolicy::normalise)
                .collect(Collectors.toUnmodifiableSet());
    }

    public boolean permits(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return true;
        }
        String normalised = normalise(origin);
        String host = request.getHeader("Host");
        String own = host == null ? null : normalise(request.getScheme() + "://" + host);
        return normalised.equals(own) || allowed.contains(normalised);
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (o.endsWith(":80") && o.startsWith("http://")) {
            return o.substring(0, o.length() - 3);
        }
        if (o.endsWith(":443") && o.startsWith("https://")) {
            return o.substring(0, o.length() - 4);
        }
        return o;
    }
}
