package dev.porthole.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.docker.AgentGone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RelayedStreamTest {
    private final MemoryRelay relay = new MemoryRelay(5);
    /** Each time the stream told its exec of its close: how many times the queues had been destroyed by then. */
    private final List<Integer> told = new ArrayList<>();
    private final RelayedStream stream = new RelayedStream(relay.terminalSide, "node-b",
            () -> told.add(relay.destroyed.get()));

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String readAll() throws IOException {
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[3];
        int n;
        while ((n = stream.read(buffer)) != -1) {
            read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return read.toString();
    }

    private List<Object> sent() {
        List<Object> items = new ArrayList<>();
        relay.input.drainTo(items);
        return items;
    }

    @Test
    void outputChunksAreReadInOrderThroughASmallBufferUntilTheEnd() throws Exception {
        relay.output.put(bytes("hello "));
        relay.output.put(bytes("world"));
        relay.output.put(new RelayItems.OutputEnd(null, false));
        assertEquals("hello world", readAll());
        assertEquals(-1, stream.read(new byte[8]), "ended stays ended");
        assertTrue(stream.hasEnded());
    }

    @Test
    void anAgentThatWentAwayOnItsNodeIsAnAgentGoneHereAfterTheOutputBeforeIt() throws Exception {
        relay.output.put(bytes("last words"));
        relay.output.put(new RelayItems.OutputEnd("the agent 'a' disconnected", true));
        byte[] buffer = new byte[64];
        assertEquals(10, stream.read(buffer));
        AgentGone gone = assertThrows(AgentGone.class, () -> stream.read(buffer));
        assertEquals("the agent 'a' disconnected", gone.getMessage());
        assertTrue(stream.connectionOpen(), "its node is there, and ends what the agent left");
    }

    @Test
    void anotherFailureOnTheAgentsNodeIsAnIoFailureNotAnAgentGone() throws Exception {
        relay.output.put(new RelayItems.OutputEnd("too slow", false));
        IOException failed = assertThrows(IOException.class, () -> stream.read(new byte[8]));
        assertFalse(failed instanceof AgentGone);
    }

    @Test
    void theAgentsNodeLeavingIsAnAgentGoneAndThisSideDestroysTheQueuesAtItsClose() {
        relay.nodeLeaves();
        AgentGone gone = assertThrows(AgentGone.class, () -> stream.read(new byte[8]));
        assertTrue(gone.getMessage().contains("node-b"), gone.getMessage());
        assertFalse(stream.connectionOpen());
        assertThrows(IOException.class, () -> {
            stream.write(bytes("x"));
            stream.endOfMessage();
        });
        stream.close();
        assertEquals(1, relay.destroyed.get());
    }

    /**
     * Its exec hears of the close once, after the link's last use, and can tell that the agent's node is gone, so
     * that it keeps the terminal's processes itself until the agent is back (nobody else is left to end them).
     */
    @Test
    void aCloseAfterTheAgentsNodeLeftTellsItsExecOnceAfterTheQueuesWereDestroyed() {
        relay.nodeLeaves();
        assertThrows(AgentGone.class, () -> stream.read(new byte[8]));
        stream.close();
        stream.close();
        assertEquals(List.of(1), told, "told once, after the queues were destroyed");
        assertFalse(stream.connectionOpen());
    }

    @Test
    void aCloseWhileTheAgentsNodeIsThereSendsTheCloseAndTellsItsExecOnce() throws Exception {
        stream.close();
        stream.close();
        assertEquals(List.of(RelayItems.Signal.CLOSE), sent());
        assertEquals(List.of(0), told, "told once; the agent's node destroys the queues");
        assertTrue(stream.connectionOpen(), "the agent's node ends what its agent left");
    }

    @Test
    void aKeystrokeIsOneItemAndAMessageInPartsKeepsItsEndOnItsLastPart() throws Exception {
        stream.write(bytes("a"));
        stream.endOfMessage();
        stream.write(bytes("bc"));
        stream.write(bytes("de"));
        stream.endOfMessage();
        List<Object> items = sent();
        assertEquals(3, items.size(), items.toString());
        assertInput(items.get(0), "a", true);
        assertInput(items.get(1), "bc", false);
        assertInput(items.get(2), "de", true);
    }

    private static void assertInput(Object item, String text, boolean last) {
        RelayItems.Input input = (RelayItems.Input) item;
        assertArrayEquals(bytes(text), input.bytes());
        assertEquals(last, input.last());
    }

    @Test
    void sizesAndTheEndOfInputGoInOrderWithTheKeystrokesAndTheCloseIsTheLastItem() throws Exception {
        stream.resize(80, 24);
        stream.write(bytes("x"));
        stream.endOfMessage();
        stream.resize(100, 30);
        stream.endInput();
        stream.close();
        List<Object> items = sent();
        assertEquals(new RelayItems.Resize(80, 24), items.get(0));
        assertInput(items.get(1), "x", true);
        assertEquals(new RelayItems.Resize(100, 30), items.get(2));
        assertEquals(RelayItems.Signal.END_INPUT, items.get(3));
        assertEquals(RelayItems.Signal.CLOSE, items.get(4));
        assertEquals(5, items.size());
        assertEquals(0, relay.destroyed.get(), "the agent's node destroys them once it read the close");
        stream.resize(1, 1);
        stream.close();
        assertEquals(List.of(), sent(), "nothing after the close");
    }

    @Test
    void aWriteWaitsWhileTheAgentsQueueIsFullAndGoesOnOnceItIsRead() throws Exception {
        for (int i = 0; i < 5; i++) {
            stream.write(bytes("k" + i));
            stream.endOfMessage();
        }
        CompletableFuture<Void> fifth = CompletableFuture.runAsync(() -> {
            try {
                stream.write(bytes("k5"));
                stream.endOfMessage();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(fifth.isDone(), "held back by the full queue");
        assertEquals(5, relay.input.size());
        relay.input.take();
        fifth.get(5, TimeUnit.SECONDS);
        List<Object> items = sent();
        assertInput(items.get(4), "k5", true);
    }

    @Test
    void aCloseWhileTheReaderWaitsEndsItsReadAndSendsTheCloseOnlyAfterIt() throws Exception {
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return stream.read(new byte[8]);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        stream.close();
        assertEquals(-1, read.get(5, TimeUnit.SECONDS));
        assertEquals(List.of(RelayItems.Signal.CLOSE), sent());
        assertEquals(-1, stream.read(new byte[8]), "nothing is polled after the close");
    }
}
