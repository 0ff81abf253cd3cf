package dev.porthole.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InputSequencerTest {
    private static final HawserMessages MESSAGES = new HawserMessages(new ObjectMapper());
    private static final InputSequencer.Pace NO_WAIT = new InputSequencer.Pace(Duration.ZERO, Long.MAX_VALUE / 2,
            Duration.ZERO);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    /** What was handed to the agent connection, and the proof that the agent read each, given by the test. */
    private final List<String> sent = new ArrayList<>();
    private final List<CompletableFuture<Void>> read = new ArrayList<>();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private InputSequencer sequencer(InputSequencer.Pace pace, int maxBytes) {
        return new InputSequencer("e1", message -> {
            CompletableFuture<Void> proof = new CompletableFuture<>();
            synchronized (sent) {
                sent.add(message);
                read.add(proof);
                sent.notifyAll();
            }
            return proof;
        }, MESSAGES, pace, timer, Runnable::run, maxBytes);
    }

    private void type(InputSequencer input, String... parts) throws IOException {
        for (String part : parts) {
            input.part(part.getBytes(StandardCharsets.UTF_8));
        }
        input.endOfMessage();
    }

    /** The agent has read the message sent {@code index}-th. */
    private void read(int index) {
        CompletableFuture<Void> proof;
        synchronized (sent) {
            proof = read.get(index);
        }
        proof.complete(null);
    }

    private List<String> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    private JsonNode sent(int index) {
        return MESSAGES.parse(sent().get(index));
    }

    private static String keys(JsonNode message) {
        assertEquals("exec_input", message.path("type").asText(), message.toString());
        return new String(HawserMessages.base64(message.path("data")), StandardCharsets.UTF_8);
    }

    private void awaitSent(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (sent) {
            while (sent.size() < count) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                assertTrue(left > 0, "only " + sent.size() + " of " + count + " messages were sent: " + sent);
                sent.wait(left);
            }
        }
    }

    @Test
    void nothingGoesBeforeTheAgentIsReadyAndThenEverythingInOrder() throws Exception {
        InputSequencer input = sequencer(NO_WAIT, 1024);
        type(input, "ls\n");
        input.resize(80, 24);
        type(input, "pwd\n");
        assertEquals(List.of(), sent());
        input.ready();
        awaitSent(1);
        assertEquals("ls\n", keys(sent(0)));
        read(0);
        awaitSent(2);
        assertEquals("exec_resize", sent(1).path("type").asText());
        assertEquals(24, sent(1).path("rows").asInt());
        read(1);
        awaitSent(3);
        assertEquals("pwd\n", keys(sent(2)));
    }

    @Test
    void theLastMessageOfAPasteIsOneExecInputOfAllItsParts() throws Exception {
        InputSequencer input = sequencer(NO_WAIT, 1 << 20);
        input.ready();
        String paste = "x".repeat(300_000) + "\n";
        input.part(paste.substring(0, 1000).getBytes(StandardCharsets.UTF_8));
        input.part(paste.substring(1000).getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), sent(), "nothing goes before the client's message is complete");
        input.endOfMessage();
        awaitSent(1);
        assertEquals(paste, keys(sent(0)));
    }

    @Test
    void messagesWaitUntilTheAgentReadTheOneBeforeAndAreCoalescedMeanwhile() throws Exception {
        InputSequencer input = sequencer(NO_WAIT, 1024);
        input.ready();
        type(input, "a");
        awaitSent(1);
        for (String key : new String[] {"b", "c", "d"}) {
            type(input, key);
        }
        Thread.sleep(100);
        assertEquals(1, sent().size(), "the next waits until the agent has read the one before");
        read(0);
        awaitSent(2);
        assertEquals("bcd", keys(sent(1)));
    }

    @Test
    void theNextMessageWaitsTheSettleTimeAfterTheAgentReadThePrevious() throws Exception {
        InputSequencer input = sequencer(new InputSequencer.Pace(Duration.ofMillis(200), 1_000_000, Duration.ZERO), 1024);
        input.ready();
        type(input, "a");
        awaitSent(1);
        long proof = System.nanoTime();
        read(0);
        type(input, "b");
        awaitSent(2);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - proof);
        assertTrue(waited >= 200, "the second message went " + waited + " ms after the agent read the first");
    }

    @Test
    void aConnectionThatClosesBeforeTheProofLetsNothingHang() throws Exception {
        InputSequencer input = sequencer(NO_WAIT, 1024);
        input.ready();
        type(input, "a");
        awaitSent(1);
        type(input, "b");
        synchronized (sent) {
            read.get(0).completeExceptionally(new IllegalStateException("closed"));
        }
        awaitSent(2); // the terminal closes on the disconnect; until then nothing waits for a proof that cannot come
    }

    @Test
    void theSettleTimeGrowsWithTheMessage() {
        InputSequencer.Pace pace = new InputSequencer.Pace(Duration.ofMillis(10), 1_000_000, Duration.ofMillis(50));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(10) + TimeUnit.MILLISECONDS.toNanos(1400), pace.inputNanos(1_400_000));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(50), pace.resizeNanos());
    }

    @Test
    void anUnsentSizeIsReplacedByANewerOneInItsPlace() throws Exception {
        InputSequencer input = sequencer(NO_WAIT, 1024);
        input.ready();
        type(input, "a");
        awaitSent(1);
        type(input, "b");
        input.resize(80, 24);
        input.resize(100, 30);
        read(0);
        awaitSent(2);
        read(1);
        awaitSent(3);
        assertEquals("b", keys(sent(1)));
        assertEquals(100, sent(2).path("cols").asInt());
        read(2);
        Thread.sleep(50);
        assertEquals(3, sent().size());
    }

    @Test
    void aClientAWholeMessageAheadWaitsUntilTheAgentTookIt() throws Exception {
        InputSequencer input = sequencer(NO_WAIT, 10);
        input.ready();
        type(input, "0123456789");
        awaitSent(1);
        type(input, "abcdefghij"); // unsent now: a whole message's worth
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
            try {
                type(input, "k");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(third.isDone(), "the client is ahead by a whole message: it waits");
        read(0);
        third.get(5, TimeUnit.SECONDS);
        awaitSent(2);
        assertEquals("abcdefghij", keys(sent(1)));
        read(1);
        awaitSent(3);
        assertEquals("k", keys(sent(2)));
    }

    @Test
    void closingDropsWhatWasNotSentAndFailsAWaitingClient() throws Exception {
        InputSequencer input = sequencer(NO_WAIT, 4);
        input.ready();
        type(input, "abcd");
        awaitSent(1);
        type(input, "efgh");
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                type(input, "i");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        input.close();
        assertThrows(Exception.class, () -> waiting.get(5, TimeUnit.SECONDS));
        read(0);
        Thread.sleep(50);
        assertEquals(1, sent().size());
        assertThrows(IOException.class, () -> type(input, "j"));
    }
}
