package dev.porthole.wire;

/** Where the two WebSockets are within the web app: the terminal's, per exec instance, and the one agents dial in on. */
public final class SocketPaths {
    /** The prefix of every API path, REST and WebSocket alike. */
    public static final String API = "/api";
    public static final String EXEC_ID = "{execId}";
    public static final String TERMINAL = API + "/containers/exec/" + EXEC_ID + "/attach";
    public static final String AGENTS = API + "/hawser/connect";

    private SocketPaths() {
    }

    /** {@code path} within the API, without its {@link #API} prefix, as OpenAPI lists it. */
    public static String withinApi(String path) {
        return path.substring(API.length());
    }
}
