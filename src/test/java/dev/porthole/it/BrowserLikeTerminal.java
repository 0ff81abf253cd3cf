package dev.porthole.it;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * A terminal socket opened as a browser opens one, with Tomcat's WebSocket client: it offers permessage-deflate (every
 * browser does, and a proxy must let the server agree to it), sends the page's {@code Origin} and the session cookie,
 * and speaks {@code wss://} with the TLS it is given. The JDK's client can do none of the first: it refuses to set
 * {@code Sec-WebSocket-Extensions}. Output is kept as the text that arrived.
 */
public final class BrowserLikeTerminal extends Endpoint {
    /** Tomcat's client gives up on a blocking send after 20 s; a 1 MiB paste paced by a process may take longer. */
    private static final long SEND_TIMEOUT_MILLIS = 120_000;
    /** Offered with no parameters: the server picks the window sizes, as it does for a browser's offer. */
    private static final Extension PERMESSAGE_DEFLATE = new Extension() {
        @Override
        public String getName() {
            return "permessage-deflate";
        }

        @Override
        public List<Parameter> getParameters() {
            return List.of();
        }
    };

    private final StringBuilder output = new StringBuilder();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private volatile Session session;
    private volatile Map<String, List<String>> answerHeaders;

    private BrowserLikeTerminal() {
    }

    /** Opens {@code url} (ws:// or wss://); a refused handshake throws Tomcat's {@link DeploymentException}. */
    public static BrowserLikeTerminal open(String url, String origin, String cookie, SSLContext tls)
            throws DeploymentException, IOException {
        BrowserLikeTerminal terminal = new BrowserLikeTerminal();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .sslContext(tls) // null: plain ws://
                .extensions(List.of(PERMESSAGE_DEFLATE))
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        headers.put("Origin", List.of(origin));
                        headers.put("Cookie", List.of(cookie));
                    }

                    @Override
                    public void afterResponse(HandshakeResponse response) {
                        terminal.answerHeaders = response.getHeaders();
                    }
                })
                .build();
        config.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", SEND_TIMEOUT_MILLIS);
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        container.connectToServer(terminal, config, URI.create(url));
        return terminal;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        session.addMessageHandler(String.class, (MessageHandler.Partial<String>) (text, last) -> {
            synchronized (output) {
                output.append(text);
                output.notifyAll();
            }
        });
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        closed.complete(reason);
    }

    @Override
    public void onError(Session session, Throwable error) {
        closed.complete(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, String.valueOf(error)));
    }

    /** The extensions the server agreed to, as the handshake's answer named them. */
    public List<Extension> negotiatedExtensions() {
        return session.getNegotiatedExtensions();
    }

    /** A header of the handshake's answer, as it reached the client. */
    public List<String> answerHeader(String name) {
        return answerHeaders.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(List.of());
    }

    /** Sends {@code text} as one message. */
    public void type(String text) throws IOException {
        session.getBasicRemote().sendText(text);
    }

    /** Waits until the output contains {@code marker}; answers all output so far. */
    public String await(String marker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (output.indexOf(marker) < 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("'" + marker + "' not seen within " + timeout + "; output ends with: "
                            + output.substring(Math.max(0, output.length() - 500)));
                }
                try {
                    output.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            return output.toString();
        }
    }

    public CloseReason awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("the socket did not close within " + timeout, e);
        }
    }

    public void close() throws IOException {
        session.close();
    }
}
