package dev.porthole.terminal;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Output read by a selector thread ({@link OutputSelectors}), sent without waiting: the selector reads the stream
 * again once the client has it. Whatever may block (a client that failed, asking the engine how the process ended)
 * goes to a terminal thread.
 */
final class SelectedPump implements OutputSelectors.Output {
    private final TerminalSink client;
    private final PumpListener listener;
    private final Executor terminalThreads;

    SelectedPump(TerminalSink client, PumpListener listener, Executor terminalThreads) {
        this.client = client;
        this.listener = listener;
        this.terminalThreads = terminalThreads;
    }

    @Override
    public void read(byte[] bytes, Runnable sent) {
        if (!listener.read(bytes, bytes.length)) {
            return;
        }
        try {
            client.output(bytes, failure -> {
                if (failure == null) {
                    sent.run();
                } else {
                    offSelector(new ClientGone(failure));
                }
            });
        } catch (RuntimeException e) {
            offSelector(new ClientGone(e));
        }
    }

    @Override
    public void ended(IOException failure) {
        offSelector(failure);
    }

    private void offSelector(IOException failure) {
        try {
            terminalThreads.execute(() -> listener.ended(failure));
        } catch (RejectedExecutionException e) {
            // shutting down: every terminal was ended first
        }
    }
}
