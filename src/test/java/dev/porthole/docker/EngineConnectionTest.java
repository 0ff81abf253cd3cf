package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A non-blocking engine connection still writes every byte, waiting while the engine does not read. */
class EngineConnectionTest {
    private ServerSocketChannel server;
    private SocketChannel engineSide;
    private EngineConnection connection;

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        connection = new EngineConnection.OfChannel(SocketChannel.open(server.getLocalAddress()));
        engineSide = server.accept();
        assertTrue(connection.nonBlocking().isPresent());
    }

    @AfterEach
    void close() throws IOException {
        connection.close();
        engineSide.close();
        server.close();
    }

    @Test
    void aWriteLargerThanTheSocketWaitsForTheEngineAndLosesNothing() throws Exception {
        byte[] paste = new byte[16 << 20];
        for (int i = 0; i < paste.length; i++) {
            paste[i] = (byte) (i * 31 + (i >> 12));
        }
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> write(paste));
        Thread.sleep(300);
        assertFalse(written.isDone(), "16 MiB fit in the socket: the test proves nothing");

        ByteBuffer received = ByteBuffer.allocate(paste.length);
        while (received.hasRemaining()) {
            engineSide.read(received);
        }
        written.get(10, TimeUnit.SECONDS);
        assertArrayEquals(paste, received.array());
    }

    @Test
    void aWriteWaitingOnAClosedConnectionFails() throws Exception {
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> write(new byte[16 << 20]));
        Thread.sleep(300);
        connection.close();
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> written.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, failed.getCause().getCause());
    }

    @Test
    void readsAnswerAtOnceWhenNothingArrived() throws IOException {
        byte[] buffer = new byte[16];
        assertEquals(0, connection.read(buffer, 0, buffer.length));
        engineSide.write(ByteBuffer.wrap(new byte[] {'o', 'k'}));
        int n;
        while ((n = connection.read(buffer, 0, buffer.length)) == 0) {
            Thread.onSpinWait();
        }
        assertEquals("ok", new String(Arrays.copyOf(buffer, n)));
    }

    private void write(byte[] bytes) {
        try {
            connection.write(bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
