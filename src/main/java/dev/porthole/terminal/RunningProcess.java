package dev.porthole.terminal;

import dev.porthole.docker.ProcessMark;
import java.io.Serializable;

/**
 * A terminal's process running in a container, as the {@link ProcessLedger} keeps it: enough for any node to end it
 * once the node that runs it is gone. {@code startedMillis} is wall-clock time, the one clock two JVMs share.
 */
public record RunningProcess(String execId, int environmentId, String container, String user, String shell,
        ProcessMark processMark, String owner, long startedMillis) implements Serializable, TerminalProcesses {

    @Override
    public String id() {
        return execId;
    }

    @Override
    public long createdNanos() {
        long age = Math.max(0, System.currentTimeMillis() - startedMillis);
        return System.nanoTime() - age * 1_000_000;
    }
}
