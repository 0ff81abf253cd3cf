package dev.porthole.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.porthole.docker.AgentGone;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RelayPumpTest {
    private static final long PATIENCE_MS = 5000;
    private final MemoryRelay relay = new MemoryRelay(2);
    private final AgentStream agent = new AgentStream();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws Exception {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(5, TimeUnit.SECONDS), "a pump thread was left running");
    }

    /** The agent's side of a terminal as a test drives it: output to give, and what it was given. */
    private static final class AgentStream implements EdgeStream {
        /** Output to read: byte[], an IOException to throw, or END. */
        final BlockingQueue<Object> output = new LinkedBlockingQueue<>();
        final List<String> given = new CopyOnWriteArrayList<>();
        static final Object END = new Object();
        volatile boolean closed;

        @Override
        public int read(byte[] buffer) throws IOException {
            Object next;
            try {
                while ((next = output.poll(10, TimeUnit.MILLISECONDS)) == null) {
                    if (closed) {
                        return -1;
                    }
                }
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
            if (next == END) {
                return -1;
            }
            if (next instanceof IOException e) {
                throw e;
            }
            byte[] bytes = (byte[]) next;
            System.arraycopy(bytes, 0, buffer, 0, bytes.length);
            return bytes.length;
        }

        @Override
        public void write(byte[] bytes) {
            given.add("write " + new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public void endOfMessage() {
            given.add("end of message");
        }

        @Override
        public void endInput() {
            given.add("end input");
        }

        @Override
        public void resize(int cols, int rows) {
            given.add("resize " + cols + "x" + rows);
        }

        @Override
        public boolean hasEnded() {
            return closed;
        }

        @Override
        public boolean connectionOpen() {
            return true;
        }

        @Override
        public void close() {
            given.add("close");
            closed = true;
        }
    }

    private RelayPump started() {
        RelayPump pump = new RelayPump("e1", agent, relay.agentSide);
        pump.start(threads);
        return pump;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Object nextOutput() throws InterruptedException {
        Object item = relay.output.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
        assertTrue(item != null, "no output item came");
        return item;
    }

    private void awaitDestroyed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
        while (relay.destroyed.get() == 0) {
            assertTrue(System.nanoTime() < deadline, "the queues were not destroyed");
            Thread.sleep(10);
        }
        assertEquals(1, relay.destroyed.get());
    }

    @Test
    void outputWaitsAtTheQueuesBoundWhileNobodyReadsAndGoesOnInOrderThenEnds() throws Exception {
        started();
        for (int i = 0; i < 10; i++) {
            agent.output.put(bytes("chunk" + i));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS);
        while (relay.output.size() < 2) {
            assertTrue(System.nanoTime() < deadline);
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertEquals(2, relay.output.size(), "never more than the bound");
        assertTrue(agent.output.size() >= 7, "the agent's output stays unread meanwhile: " + agent.output.size());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(bytes("chunk" + i), (byte[]) nextOutput());
        }
        agent.output.put(AgentStream.END);
        assertEquals(new RelayItems.OutputEnd(null, false), nextOutput());
    }

    @Test
    void anAgentThatWentAwayIsSaidSoAfterTheOutputBeforeIt() throws Exception {
        started();
        agent.output.put(bytes("bye"));
        agent.output.put(new AgentGone("the agent 'a' disconnected"));
        assertArrayEquals(bytes("bye"), (byte[]) nextOutput());
        assertEquals(new RelayItems.OutputEnd("the agent 'a' disconnected", true), nextOutput());
    }

    @Test
    void inputSizesAndTheEndOfInputReachTheAgentInOrderAndTheCloseEndsItAndDestroysTheQueues() throws Exception {
        started();
        relay.input.put(new RelayItems.Resize(80, 24));
        relay.input.put(new RelayItems.Input(bytes("ab"), false));
        relay.input.put(new RelayItems.Input(bytes("c"), true));
        relay.input.put(RelayItems.Signal.END_INPUT);
        relay.input.put(RelayItems.Signal.CLOSE);
        awaitDestroyed();
        assertEquals(List.of("resize 80x24", "write ab", "write c", "end of message", "end input", "close"),
                agent.given);
    }

    @Test
    void aCloseWhileTheOutputWaitsForRoomStopsItAndDestroysTheQueues() throws Exception {
        started();
        for (int i = 0; i < 5; i++) {
            agent.output.put(bytes("x" + i));
        }
        while (relay.output.size() < 2) {
            Thread.sleep(10);
        }
        relay.input.put(RelayItems.Signal.CLOSE);
        awaitDestroyed();
        assertTrue(agent.closed);
    }

    @Test
    void theTerminalsNodeLeavingEndsTheAgentsSideAndDestroysTheQueues() throws Exception {
        started();
        relay.nodeLeaves();
        awaitDestroyed();
        assertEquals(List.of("close"), agent.given);
    }
}
