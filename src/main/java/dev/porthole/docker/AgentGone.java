package dev.porthole.docker;

import java.io.IOException;

/** An exec stream failed because the Hawser agent that carried it went away, not the engine behind it. */
public final class AgentGone extends IOException {
    public AgentGone(String message) {
        super(message);
    }
}
