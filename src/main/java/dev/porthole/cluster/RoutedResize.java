package dev.porthole.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.porthole.terminal.TerminalDirectory;
import dev.porthole.terminal.TerminalSize;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A resize sent to the node that runs the terminal, so that its terminal stays the one writer of its size; answers
 * whether that node has the terminal for the credential.
 */
final class RoutedResize implements Callable<Boolean>, Serializable, HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;

    private final String execId;
    private final String credential;
    private final TerminalSize size;
    private transient HazelcastInstance hazelcast;

    RoutedResize(String execId, String credential, TerminalSize size) {
        this.execId = execId;
        this.credential = credential;
        this.size = size;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
    }

    @Override
    public Boolean call() {
        Object here = hazelcast.getUserContext().get(GridTerminals.HERE);
        return here instanceof TerminalDirectory.Here terminals && terminals.resize(execId, credential, size);
    }
}
