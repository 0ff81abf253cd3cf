package dev.porthole.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * Where the container sends a request, which is what every decision about it must be made on: the servlet path
 * and path info, decoded and normalised ({@code ;parameters} dropped, {@code %61} read as {@code a}, {@code //} and
 * {@code /./} collapsed), exactly as the container chose the servlet or the WebSocket endpoint. The raw request URI
 * is only how the client spelled it.
 */
final class RoutedPath {
    private RoutedPath() {
    }

    /** The path within the web app, e.g. {@code /api/containers/exec/…/attach}. */
    static String of(HttpServletRequest request) {
        String info = request.getPathInfo();
        return request.getServletPath() + (info == null ? "" : info);
    }

    /** Whether the path is the API's, {@code /api} itself included. */
    static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    /**
     * Whether the request asks for a WebSocket, read as the container reads it: {@code websocket} among the
     * comma-separated tokens of {@code Upgrade}, in any case. Reading it more narrowly would let a handshake that the
     * container upgrades be checked as a plain request.
     */
    static boolean isWebSocketHandshake(HttpServletRequest request) {
        var values = request.getHeaders("Upgrade");
        while (values != null && values.hasMoreElements()) {
            for (String token : values.nextElement().split(",")) {
                if (token.trim().toLowerCase(Locale.ROOT).equals("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }
}
