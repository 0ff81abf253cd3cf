package dev.porthole.it.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.it.KernelSettings;
import dev.porthole.it.TestServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Clients that are no agent, on the agents' socket: until a {@code hello} succeeds a socket may send only a few KiB
 * per message, and only a few such sockets may be open per address and in all. Each test poses as addresses of its
 * own ({@code X-Forwarded-For}, believed from the test's loopback proxy). The hello timeout is a minute here, so that
 * every close a test sees comes from a limit, not from the timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileAgentIT {
    private static final int PER_ADDRESS = 4;
    private static final int TOTAL = 12;
    private static final String TOKEN = "hostile-agent-test-token-of-environment-4-cccc";
    /** Well under the hello timeout: a socket closed within this was closed by a limit. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);
    private static final String FRAGMENT = "x".repeat(4096);

    private TestServer.Running server;
    private final List<Hostile> opened = new ArrayList<>();
    private int nextAddress;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.startServer(
                "environments.4.name=edge",
                "environments.4.type=hawser-edge",
                "environments.4.agent-token-sha256=" + HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                "edge.hello-timeout=60s",
                "edge.max-unauthenticated-per-address=" + PER_ADDRESS,
                "edge.max-unauthenticated=" + TOTAL);
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Hostile::abort);
        opened.clear();
    }

    @Test
    void aBigFrameBeforeHelloClosesTheSocket() {
        Hostile hostile = open(address());
        hostile.sendQuietly("{\"type\":\"hello\",\"pad\":\"" + "x".repeat(8 << 20) + "\"}", true);
        assertEquals(1009, hostile.awaitClose(PROMPTLY));
    }

    @Test
    void aBigFragmentedMessageBeforeHelloClosesTheSocket() {
        Hostile hostile = open(address());
        long sent = hostile.sendFragments(24 << 20);
        assertEquals(1009, hostile.awaitClose(PROMPTLY));
        // What the client wrote includes what the kernel took on the server's behalf until the close came back: on a
        // busy machine, up to the client's send buffer and the server's receive buffer. More than that, and the
        // server itself read on past its limit.
        long bound = (1 << 20) + loopbackBuffers();
        assertTrue(sent < bound, "the client wrote " + sent + " bytes of one message before any hello, more than the "
                + bound + " the server's limit and the kernel's buffers let through");
    }

    /**
     * The most a loopback connection buffers between the two ends: the client's largest send buffer and twice the
     * server's default receive buffer (which grows little, as the server reads little), from the kernel's settings.
     */
    private static long loopbackBuffers() {
        OptionalLong sendMax = KernelSettings.field("net/ipv4/tcp_wmem", 2);
        OptionalLong receiveDefault = KernelSettings.field("net/ipv4/tcp_rmem", 1);
        if (sendMax.isEmpty() || receiveDefault.isEmpty()) {
            return 8 << 20;
        }
        return Math.min(sendMax.getAsLong() + 2 * receiveDefault.getAsLong(), 16 << 20);
    }

    @Test
    void onlyAFewSocketsWithoutHelloArePermittedPerAddressAndInAll() {
        String first = address();
        List<Hostile> fromFirst = new ArrayList<>();
        for (int i = 0; i < 3 * PER_ADDRESS; i++) {
            fromFirst.add(openOrRefused(first));
        }
        assertEquals(PER_ADDRESS, stillOpen(fromFirst), "sockets without hello from one address");

        List<Hostile> fromMany = new ArrayList<>(fromFirst);
        for (int a = 0; a < 2 * TOTAL / PER_ADDRESS; a++) {
            String another = address();
            for (int i = 0; i < PER_ADDRESS; i++) {
                fromMany.add(openOrRefused(another));
            }
        }
        assertEquals(TOTAL, stillOpen(fromMany), "sockets without hello in all");

        // Closing them gives their places back: the same address, then an agent with its token, get in.
        fromMany.forEach(Hostile::abort);
        Hostile again = awaitAdmitted(first);
        again.sendQuietly("{\"type\":\"hello\",\"token\":\"" + TOKEN + "\",\"version\":\"0.2.46-sim\",\"protocol\":\"1.0\"}", true);
        assertEquals("welcome", again.awaitFirstType(PROMPTLY));
    }

    @Test
    void aStormOfHalfSentMessagesLeavesTheHeapFlat() throws Exception {
        long before = usedHeapAfterGc();
        List<Hostile> storm = new ArrayList<>();
        for (int a = 0; a < TOTAL / PER_ADDRESS; a++) {
            String address = address();
            for (int i = 0; i < PER_ADDRESS; i++) {
                storm.add(open(address));
            }
        }
        // Each sends 4 MiB of one message and never its last part: a server that buffered them would hold 48 MiB.
        for (Hostile hostile : storm) {
            hostile.sendFragments(4 << 20);
        }
        long grown = usedHeapAfterGc() - before;
        System.out.printf("hostile agents: the heap after GC grew by %d KiB while %d sockets without hello sent half"
                + " messages of 4 MiB%n", grown >> 10, storm.size());
        assertTrue(grown < 16 << 20, "the heap grew by " + (grown >> 20) + " MiB while " + storm.size()
                + " sockets without hello sent half messages");
        for (Hostile hostile : storm) {
            assertEquals(1009, hostile.awaitClose(PROMPTLY));
        }
    }

    // --- helpers

    /** A fresh client address for each use, from the documentation range. */
    private String address() {
        nextAddress++;
        return "203.0.113." + nextAddress;
    }

    private Hostile open(String address) {
        Hostile hostile = openOrRefused(address);
        assertTrue(hostile.isOpen(), "refused: " + hostile.refusal);
        return hostile;
    }

    /** Opens a socket from {@code address}; it may be refused at the handshake, or closed at once. */
    private Hostile openOrRefused(String address) {
        Hostile hostile = new Hostile();
        opened.add(hostile);
        try {
            hostile.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("X-Forwarded-For", address)
                    .buildAsync(URI.create(server.baseUrl().replaceFirst("^http", "ws") + "api/hawser/connect"), hostile)
                    .join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof WebSocketHandshakeException refused)) {
                throw e;
            }
            assertEquals(429, refused.getResponse().statusCode());
            hostile.refusal = "429";
        }
        return hostile;
    }

    /**
     * How many of {@code sockets} the server kept: a socket over a limit is refused at its handshake or closed at once
     * with 1013 (two handshakes racing may both pass the first check); the ones kept stay open until the hello timeout.
     */
    private static int stillOpen(List<Hostile> sockets) {
        int open = 0;
        for (Hostile hostile : sockets) {
            if (hostile.socket == null) {
                continue;
            }
            if (hostile.awaitCloseOrNothing(Duration.ofMillis(300)) == null) {
                open++;
            } else {
                assertEquals(1013, hostile.closed.join());
            }
        }
        return open;
    }

    /** The server notices closed sockets a moment after the client dropped them; until then, a new one may be refused. */
    private Hostile awaitAdmitted(String address) {
        long deadline = System.nanoTime() + PROMPTLY.toNanos();
        while (System.nanoTime() < deadline) {
            Hostile hostile = openOrRefused(address);
            if (hostile.socket != null && hostile.awaitCloseOrNothing(Duration.ofMillis(300)) == null) {
                return hostile;
            }
        }
        throw new AssertionError("no socket admitted from " + address + " after the others closed");
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** One socket of a client that is no agent. */
    private static final class Hostile implements WebSocket.Listener {
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final CompletableFuture<String> firstType = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private volatile WebSocket socket;
        private String refusal;

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                firstType.complete(message.replaceAll("(?s).*\"type\"\\s*:\\s*\"([a-z_]+)\".*", "$1"));
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        boolean isOpen() {
            return socket != null && !closed.isDone();
        }

        /** Sends until the server stops taking it; answers how many characters went out. */
        long sendFragments(long total) {
            long sent = 0;
            while (sent < total && !closed.isDone()) {
                if (!sendQuietly(FRAGMENT, false)) {
                    break;
                }
                sent += FRAGMENT.length();
            }
            return sent;
        }

        /** Sends one part; false once the socket no longer takes any. */
        boolean sendQuietly(String part, boolean last) {
            try {
                socket.sendText(part, last).get(30, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }

        int awaitClose(Duration timeout) {
            Integer code = awaitCloseOrNothing(timeout);
            if (code == null) {
                throw new AssertionError("the socket is still open after " + timeout);
            }
            return code;
        }

        Integer awaitCloseOrNothing(Duration timeout) {
            try {
                return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        String awaitFirstType(Duration timeout) {
            return firstType.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
        }

        void abort() {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
