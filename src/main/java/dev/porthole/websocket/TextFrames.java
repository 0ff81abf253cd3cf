package dev.porthole.websocket;

import dev.porthole.wire.Utf8StreamDecoder;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Output as text frames, for clients that asked for no subprotocol: a text frame must hold whole UTF-8 characters,
 * so a character split between two reads waits for the rest, and bytes that are not UTF-8 become U+FFFD.
 */
final class TextFrames implements OutputFrames {
    private final RemoteEndpoint.Basic remote;
    private final RemoteEndpoint.Async async;
    private final Utf8StreamDecoder decoder = new Utf8StreamDecoder();

    TextFrames(Session socket) {
        this.remote = socket.getBasicRemote();
        this.async = socket.getAsyncRemote();
    }

    @Override
    public void send(byte[] bytes, int offset, int length) throws IOException {
        sendText(decoder.decode(bytes, offset, length));
    }

    @Override
    public void send(byte[] bytes, Consumer<Throwable> sent) {
        String text = decoder.decode(bytes, 0, bytes.length);
        if (text.isEmpty()) {
            sent.accept(null);
        } else {
            async.sendText(text, OutputFrames.reporting(sent));
        }
    }

    @Override
    public void finish() throws IOException {
        sendText(decoder.finish());
    }

    private void sendText(String text) throws IOException {
        // A read that ended inside a character may leave nothing to send yet: no empty frame for it.
        if (!text.isEmpty()) {
            remote.sendText(text);
        }
    }
}
