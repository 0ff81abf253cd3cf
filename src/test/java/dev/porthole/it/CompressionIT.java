package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.porthole.wire.Subprotocols;
import dev.porthole.wire.Utf8StreamDecoder;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code terminal.compression}: what the handshake answers a client that offers permessage-deflate as Chromium does
 * ({@code permessage-deflate; client_max_window_bits}). The client is Tomcat's own WebSocket client, which offers
 * the extension, reads the answer's {@code Sec-WebSocket-Extensions} and, when the server agreed, inflates every
 * frame: output read through it proves the compressed path, not only the header.
 */
@ExtendWith(TestServer.class)
class CompressionIT {
    private final WebSocketContainer client = ContainerProvider.getWebSocketContainer();
    private final List<Socket> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Socket::close);
    }

    @Test
    void byDefaultTheServerAnswersAnOfferOfDeflateWithoutIt(TestServer.Running server) throws Exception {
        Socket socket = open(server, server.signedIn("alice"));
        assertEquals(null, socket.extensionsAnswered, "no Sec-WebSocket-Extensions in the answer");
        assertEquals(List.of(), socket.session.getNegotiatedExtensions());
        socket.type("echo E$((1+1))X\n");
        socket.await("E2X");
    }

    @Test
    void turnedOnItCompressesUpToItsBudgetOfOpenSocketsAndNoneBeyond() throws Exception {
        try (TestServer.Running server = TestServer.startServer("terminal.compression=true",
                "terminal.compression-max-sockets=2")) {
            ApiClient alice = server.signedIn("alice");
            Socket first = open(server, alice);
            Socket second = open(server, alice);
            for (Socket s : List.of(first, second)) {
                assertTrue(s.extensionsAnswered != null && s.extensionsAnswered.startsWith("permessage-deflate"),
                        "answered " + s.extensionsAnswered);
                assertEquals("permessage-deflate", s.session.getNegotiatedExtensions().get(0).getName());
                // Tomcat's client inflates what the server deflated: the marker arrives whole through both ways.
                s.type("echo E$((2+3))X; ls -lR /bin | head -c 20000; echo F$((3+4))Y\n");
                s.await("F7Y");
            }
            Socket third = open(server, alice);
            assertEquals(null, third.extensionsAnswered, "over the budget: no extension");
            third.type("echo E$((1+1))X\n");
            third.await("E2X");
            // A closed compressed socket gives its place back once the server has seen the close.
            first.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                Socket next = open(server, alice);
                if (next.extensionsAnswered != null) {
                    assertTrue(next.extensionsAnswered.startsWith("permessage-deflate"), next.extensionsAnswered);
                    break;
                }
                next.close();
                if (System.nanoTime() > deadline) {
                    fail("the closed socket's place never came back");
                }
                Engine.sleep(200);
            }
            // The uncompressed third socket's close gives back nothing: the budget is spent again.
            third.close();
            Thread.sleep(500);
            assertEquals(null, open(server, alice).extensionsAnswered);
        }
    }

    /** Creates a shell in ph-busybox and attaches to it offering permessage-deflate and asking for binary output. */
    private Socket open(TestServer.Running server, ApiClient api) throws Exception {
        String execId = api.createExec("ph-busybox", "{}");
        Socket socket = new Socket();
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create()
                .preferredSubprotocols(List.of(Subprotocols.BINARY))
                .extensions(List.of(chromiumOffer()))
                .configurator(new ClientEndpointConfig.Configurator() {
                    @Override
                    public void beforeRequest(Map<String, List<String>> headers) {
                        headers.put("Cookie", List.of(api.sessionCookie()));
                    }

                    @Override
                    public void afterResponse(HandshakeResponse response) {
                        response.getHeaders().forEach((name, values) -> {
                            if (name.equalsIgnoreCase("Sec-WebSocket-Extensions")) {
                                socket.extensionsAnswered = String.join(", ", values);
                            }
                        });
                    }
                })
                .build();
        URI uri = URI.create(server.baseUrl().replaceFirst("^http", "ws") + "api/containers/exec/" + execId
                + "/attach?envId=1");
        socket.session = client.connectToServer(socket, config, uri);
        opened.add(socket);
        socket.await("# ");
        return socket;
    }

    /** {@code permessage-deflate; client_max_window_bits}: what Chromium sends. */
    private static Extension chromiumOffer() {
        Extension.Parameter windowBits = new Extension.Parameter() {
            @Override
            public String getName() {
                return "client_max_window_bits";
            }

            @Override
            public String getValue() {
                return null;
            }
        };
        return new Extension() {
            @Override
            public String getName() {
                return "permessage-deflate";
            }

            @Override
            public List<Parameter> getParameters() {
                return List.of(windowBits);
            }
        };
    }

    /** One terminal socket on Tomcat's client: the output it received, decoded, and the answer's extensions. */
    private static final class Socket extends Endpoint {
        private final StringBuilder output = new StringBuilder();
        private final Utf8StreamDecoder decoder = new Utf8StreamDecoder();
        private volatile String extensionsAnswered;
        private volatile Session session;

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            // Partial: Tomcat's client closes a socket whose whole message passes its 8 KiB buffer.
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (data, last) -> {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                synchronized (output) {
                    output.append(decoder.decode(bytes, 0, bytes.length));
                    output.notifyAll();
                }
            });
        }

        void type(String text) throws IOException {
            session.getBasicRemote().sendText(text);
        }

        void await(String marker) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            synchronized (output) {
                while (output.indexOf(marker) < 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        fail("no '" + marker + "' within 20 s; output: " + output);
                    }
                    output.wait(Math.max(1, left / 1_000_000));
                }
            }
        }

        void close() {
            try {
                if (session != null && session.isOpen()) {
                    session.close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "done"));
                }
            } catch (IOException ignored) {
                // already closed by the server
            }
        }
    }
}
