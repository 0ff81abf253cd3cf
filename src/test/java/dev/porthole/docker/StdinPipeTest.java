package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StdinPipeTest {

    @Test
    void bytesLargerThanTheRingArriveInOrderAndComplete() throws Exception {
        StdinPipe pipe = new StdinPipe(1000);
        pipe.release();
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[777];
            try {
                int n;
                while ((n = pipe.read(buffer, 0, buffer.length)) != -1) {
                    out.write(buffer, 0, n);
                    if (out.size() == data.length) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toByteArray();
        });
        pipe.write(data);
        assertArrayEquals(data, read.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aFullRingBlocksTheWriterUntilClosedThenFails() throws Exception {
        StdinPipe pipe = new StdinPipe(4);
        CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
            try {
                pipe.write(new byte[10]);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertTrue(!write.isDone(), "the writer should be blocked on a full ring");
        assertEquals(4, pipe.available());
        pipe.close();
        assertThrows(Exception.class, () -> write.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aHeldPipeGivesNothingUntilReleased() throws Exception {
        StdinPipe pipe = new StdinPipe(16);
        pipe.write(new byte[] {1, 2, 3});
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return pipe.read(new byte[4], 0, 4);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertTrue(!read.isDone(), "a held pipe must not give its bytes yet");
        pipe.release();
        assertEquals(3, read.get(5, TimeUnit.SECONDS));
    }

    @Test
    void closingEndsAReaderThatWaits() throws Exception {
        StdinPipe pipe = new StdinPipe(16);
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return pipe.read(new byte[4], 0, 4);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        pipe.close();
        assertEquals(-1, read.get(5, TimeUnit.SECONDS));
    }
}
