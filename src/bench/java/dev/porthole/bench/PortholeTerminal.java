package dev.porthole.bench;

import dev.porthole.wire.Utf8StreamDecoder;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A terminal through Porthole: the JDK's WebSocket client, asking for one message at a time the way a browser's
 * socket reads. Pausing stops asking, so unread frames stay in the network and the server's send blocks. Output
 * comes as binary frames ({@code porthole.binary}) and is decoded here, as xterm.js decodes it in the page.
 */
final class PortholeTerminal implements BenchTerminal, WebSocket.Listener {
    private final Output output = new Output();
    private final Utf8StreamDecoder decoder = new Utf8StreamDecoder();
    private byte[] scratch = new byte[64 * 1024];
    private final AtomicBoolean owed = new AtomicBoolean();
    private volatile boolean paused;
    private volatile WebSocket socket;
    private volatile String closeReason;

    @Override
    public void onOpen(WebSocket webSocket) {
        this.socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        // The client promises no accessible array; one message at a time is asked for, so one scratch suffices.
        int n = data.remaining();
        if (scratch.length < n) {
            scratch = new byte[n];
        }
        data.get(scratch, 0, n);
        output.append(decoder.decode(scratch, 0, n));
        return next(webSocket);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        output.append(data);
        return next(webSocket);
    }

    /** Asks for the next message, unless paused: then whoever resumes asks. */
    private CompletionStage<?> next(WebSocket webSocket) {
        if (paused) {
            owed.set(true);
            // resume() may have run between the check and the set: then whoever clears the debt asks.
            if (paused || !owed.compareAndSet(true, false)) {
                return null;
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = statusCode + " " + reason;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeReason = error.toString();
    }

    @Override
    public Output output() {
        return output;
    }

    @Override
    public void type(String text) throws IOException {
        try {
            socket.sendText(text, true).join();
        } catch (CompletionException e) {
            throw new IOException("send failed (socket closed: " + closeReason + ")", e.getCause());
        }
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
        if (owed.compareAndSet(true, false)) {
            socket.request(1);
        }
    }

    String closeReason() {
        return closeReason;
    }

    /** Drops the connection without a close frame, as a lost network or a killed browser does. */
    void abort() {
        WebSocket s = socket;
        if (s != null) {
            s.abort();
        }
    }

    @Override
    public void close() {
        WebSocket s = socket;
        if (s != null && !s.isOutputClosed()) {
            try {
                s.sendClose(1000, "bye").join();
            } catch (CompletionException ignored) {
                // already closing from the other side
            }
        }
    }
}
