package dev.porthole.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.tags.Tag;
import dev.porthole.wire.SocketPaths;
import java.util.List;

/**
 * The two WebSocket endpoints, which are not JAX-RS resources and which OpenAPI has no type for: each is written
 * as its handshake, a {@code GET} with {@code Upgrade: websocket} answered by 101, and what the socket then carries
 * is said in words. README.md, "The terminal socket" and "Edge environments", has the whole protocol.
 */
final class WebSocketDocs {
    static final String TERMINAL = SocketPaths.withinApi(SocketPaths.TERMINAL);
    static final String AGENTS = SocketPaths.withinApi(SocketPaths.AGENTS);
    static final String TAG = "websockets";

    private static final String TERMINAL_WORDS = """
            The terminal socket: a WebSocket handshake (GET with `Upgrade: websocket`). Needs the session cookie or \
            an API token, and exec permission on the environment; a foreign `Origin` is refused with 403, all before \
            any upgrade.

            After the 101 the socket carries the terminal as raw bytes, with no framing of its own:
            - client to server, text or binary frames: keystrokes, passed to the process's stdin byte for byte (at \
            most `terminal.max-message-bytes`, 1 MiB; larger closes with 1009);
            - server to client, text frames: output, always whole UTF-8 characters; or binary frames, the engine's \
            bytes exactly, when the client asked for the subprotocol `porthole.binary` (`Sec-WebSocket-Protocol`);
            - server to client, a close frame with a code and a reason: 1000 `exit <code>` when the process ended \
            (`exit unknown`, `exit 137: container stopped`); 1000 `client closed`; 1001 shutdown, a client that stopped \
            reading or answering pings, a changed or removed environment; 1009 a message too big; 1011 the engine went \
            away or refused to start the exec; 4400 `envId` does not match the exec instance, or a bad `h` or `w`; \
            4401 `sign in first`, \
            `signed out` (sign-out, session expiry, token revocation); 4404 an unknown, expired, used or foreign \
            execId, or the engine's 404; 4409 the engine's 409.

            Keystrokes wait for the first resize to reach the engine. Closing the socket ends every process the \
            terminal started. The server pings every `terminal.ping-interval`.""";

    private static final String AGENT_WORDS = """
            The socket that Hawser agents dial in on (`DOCKHAND_SERVER_URL=wss://HOST/<context>/api/hawser/connect`), \
            speaking Hawser's edge protocol as JSON text messages. It takes no cookie or API token: the agent's first \
            message, `hello` within `edge.hello-timeout`, carries its token, which is checked against the SHA-256 \
            stored for an edge environment; a wrong one gets `{"type":"error","error":"Invalid token"}` and close \
            1008, and counts against the address. A handshake with an `Origin` header is refused with 403: agents \
            send none. The server answers `welcome`, pings every `edge.ping-interval` and drops an agent silent for \
            `edge.dead-after`; the environment's engine calls and terminals then travel as `request`/`response` and \
            `exec_*` messages. A newer connection of the same environment replaces the older one (close 1001).""";

    private WebSocketDocs() {
    }

    static void addTo(OpenAPI api) {
        api.addTagsItem(new Tag().name(TAG).description("WebSocket endpoints, written as their handshakes"));
        Operation terminal = handshake("Attach a terminal (WebSocket)", TERMINAL_WORDS)
                .addParametersItem(new PathParameter().name("execId").description("the execId of the create's answer")
                        .schema(new StringSchema().pattern("[0-9a-f]{32}")))
                .addParametersItem(new QueryParameter().name("envId").required(true)
                        .description("the environment's id, the one the exec instance was created on")
                        .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)))
                .addParametersItem(new QueryParameter().name("h").description("rows the shell starts with, given "
                        + "with w; newer than any resize before the attach, and spares the request")
                        .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE).maximum(java.math.BigDecimal.valueOf(1000))))
                .addParametersItem(new QueryParameter().name("w").description("columns the shell starts with, given "
                        + "with h").schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE).maximum(java.math.BigDecimal.valueOf(1000))))
                .addParametersItem(new HeaderParameter().name("Sec-WebSocket-Protocol")
                        .description("`porthole.binary` for output as binary frames").schema(new StringSchema()));
        terminal.getResponses()
                .addApiResponse("401", error("no session or API token, or an invalid one"))
                .addApiResponse("403", error("no exec permission on the environment; a foreign Origin"));
        api.path(TERMINAL, new PathItem().get(terminal));

        Operation agents = handshake("Connect a Hawser agent (WebSocket)", AGENT_WORDS);
        agents.setSecurity(List.of());
        agents.getResponses().addApiResponse("403", error("the handshake has an Origin header: not an agent"));
        api.path(AGENTS, new PathItem().get(agents));
    }

    private static Operation handshake(String summary, String description) {
        return new Operation().summary(summary).description(description).addTagsItem(TAG)
                .addParametersItem(new HeaderParameter().name("Upgrade").required(true)
                        .schema(new StringSchema()._enum(List.of("websocket"))))
                .responses(new ApiResponses().addApiResponse("101", new ApiResponse()
                        .description("Switching Protocols: the socket is open")));
    }

    private static ApiResponse error(String description) {
        return new ApiResponse().description(description).content(OpenApiDocument.errorContent());
    }
}
