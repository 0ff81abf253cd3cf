package dev.porthole.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A terminal straight from the engine's hijacked stream. A reader thread of its own copies output into
 * {@link Output}, 16 KiB at a time like Porthole's relay; bytes become chars one to one (the benchmark's output is
 * ASCII). Pausing parks that thread, so the engine's writes block as they would behind a slow client.
 */
final class DirectTerminal implements BenchTerminal {
    private static final int READ_BUFFER = 16 * 1024;

    private final EngineSocket stream;
    private final Output output = new Output();
    private final Object gate = new Object();
    private final CountDownLatch ended = new CountDownLatch(1);
    private boolean paused;

    DirectTerminal(EngineSocket stream) {
        this.stream = stream;
        Thread reader = new Thread(this::readOutput, "direct-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void readOutput() {
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
        try {
            while (true) {
                waitWhilePaused();
                buffer.clear();
                int n = stream.read(buffer);
                if (n < 0) {
                    return;
                }
                output.append(new String(buffer.array(), 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException | InterruptedException e) {
            // closed by the benchmark, or the engine went away: the figure that waits will say so
        } finally {
            ended.countDown();
        }
    }

    private void waitWhilePaused() throws InterruptedException {
        synchronized (gate) {
            while (paused) {
                gate.wait();
            }
        }
    }

    @Override
    public Output output() {
        return output;
    }

    @Override
    public synchronized void type(String text) throws IOException {
        stream.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void pause() {
        synchronized (gate) {
            paused = true;
        }
    }

    @Override
    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    /** Ends the shell first: the engine leaves an exec's process running when its connection drops. */
    @Override
    public void close() {
        try {
            resume();
            type("\u0003exit\n");
            ended.await(2, TimeUnit.SECONDS); // the stream ends when the shell has
        } catch (IOException | InterruptedException ignored) {
            // the shell is gone already
        }
        stream.close();
    }
}
