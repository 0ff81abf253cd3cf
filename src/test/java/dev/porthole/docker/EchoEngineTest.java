package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EchoEngineTest {
    private final List<Thread> threads = new ArrayList<>();

    private EchoEngine start() throws IOException {
        return EchoEngine.start(7, "echo", task -> {
            Thread thread = new Thread(task, "echo-test");
            threads.add(thread);
            return thread;
        });
    }

    @Test
    void aStartedExecAnswersWithThePromptAndEchoesEveryKey() throws Exception {
        try (EchoEngine engine = start()) {
            ExecStream stream = engine.terminalExec("any", "/bin/sh", "root", "tag", null).start();
            assertEquals("/ # ", read(stream, 4));
            for (char key : "ls -l\r".toCharArray()) {
                stream.write(new byte[] {(byte) key});
                assertEquals(String.valueOf(key), read(stream, 1));
            }
            stream.close();
        }
    }

    @Test
    void aPasteLargerThanTheSocketsBuffersComesBackWhole() throws Exception {
        try (EchoEngine engine = start()) {
            ExecStream stream = engine.terminalExec("any", "/bin/sh", "root", "tag", null).start();
            read(stream, 4);
            byte[] paste = new byte[1024 * 1024];
            for (int i = 0; i < paste.length; i++) {
                paste[i] = (byte) i;
            }
            // Written on another thread: the echo stops reading while its answer waits, as a process would.
            Thread writer = new Thread(() -> {
                try {
                    stream.write(paste);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (back.size() < paste.length) {
                int n = stream.read(buffer);
                assertTrue(n > 0, "the stream ended after " + back.size() + " bytes");
                back.write(buffer, 0, n);
            }
            writer.join();
            assertArrayEquals(paste, back.toByteArray());
            stream.close();
        }
    }

    @Test
    void closingTheEngineEndsItsThreadAndStreamsAndRemovesItsSocket() throws Exception {
        EchoEngine engine = start();
        Path socket = Path.of(engine.environment().url().getPath());
        assertTrue(Files.exists(socket));
        ExecStream stream = engine.terminalExec("any", "/bin/sh", "root", "tag", null).start();
        read(stream, 4);
        engine.close();
        assertEquals(-1, stream.read(new byte[16]), "the stream's far end was closed");
        stream.close();
        assertFalse(threads.get(0).isAlive());
        assertFalse(Files.exists(socket));
        assertFalse(Files.exists(socket.getParent()));
    }

    @Test
    void itsEnvironmentIsAUnixSocketAndItsExecsEndWithTheirStreams() throws Exception {
        try (EchoEngine engine = start()) {
            assertEquals("socket", engine.environment().type());
            assertEquals(7, engine.environment().id());
            EngineExec exec = engine.terminalExec("any", "/bin/sh", "root", "tag", null);
            assertTrue(exec.created().toCompletableFuture().isDone());
            assertEquals(new ExecState(false, 0), exec.inspect());
            assertEquals(ProcessMark.tagged("tag"), exec.processMark());
            assertFalse(engine.isRunning("any"));
        }
    }

    private static String read(ExecStream stream, int count) throws IOException {
        byte[] all = new byte[0];
        byte[] buffer = new byte[64];
        while (all.length < count) {
            int n = stream.read(buffer);
            assertTrue(n > 0, "the stream ended");
            int before = all.length;
            all = Arrays.copyOf(all, before + n);
            System.arraycopy(buffer, 0, all, before, n);
        }
        assertEquals(count, all.length, "more than expected: " + new String(all, StandardCharsets.ISO_8859_1));
        return new String(all, StandardCharsets.ISO_8859_1);
    }
}
