package dev.porthole.cluster;

import dev.porthole.docker.EnvironmentConfig;
import dev.porthole.edge.AgentPlaces;
import dev.porthole.security.CredentialEnds;
import dev.porthole.security.SharedSecurity;
import dev.porthole.terminal.ProcessLedger;
import dev.porthole.terminal.TerminalDirectory;
import java.util.List;

/** Porthole without clustering: no grid, no thread, no port; the state stays in this JVM. */
public final class SingleNode implements Cluster {
    private final String nodeName;

    public SingleNode(String nodeName) {
        this.nodeName = nodeName;
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public List<String> members() {
        return List.of(nodeName);
    }

    @Override
    public SharedSecurity security(CredentialEnds ends) {
        return SharedSecurity.local();
    }

    @Override
    public void shareEnvironments(EnvironmentConfig config) {
    }

    @Override
    public ProcessLedger processLedger() {
        return ProcessLedger.NONE;
    }

    @Override
    public void reapDeadNodes(ProcessLedger.Reaper reaper, ProcessLedger.Deaths deaths) {
    }

    @Override
    public TerminalDirectory terminals() {
        return TerminalDirectory.NONE;
    }

    @Override
    public AgentPlaces agentPlaces() {
        return AgentPlaces.NONE;
    }

    @Override
    public void releaseCallingThread() {
    }

    @Override
    public void close() {
    }
}
