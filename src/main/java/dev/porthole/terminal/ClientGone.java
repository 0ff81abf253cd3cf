package dev.porthole.terminal;

import java.io.IOException;

/** The client could not take output: its socket is gone or too slow for the send timeout. */
final class ClientGone extends IOException {
    ClientGone(Throwable cause) {
        super(cause);
    }
}
