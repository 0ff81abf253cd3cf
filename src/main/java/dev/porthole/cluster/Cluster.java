package dev.porthole.cluster;

import dev.porthole.docker.EnvironmentConfig;
import dev.porthole.edge.AgentPlaces;
import dev.porthole.security.CredentialEnds;
import dev.porthole.security.SharedSecurity;
import dev.porthole.terminal.ProcessLedger;
import dev.porthole.terminal.TerminalDirectory;
import java.util.List;

/** This node and the others it works with: one alone ({@link SingleNode}), or the members of a grid ({@link Grid}). */
public interface Cluster extends AutoCloseable {
    /** This node's name, as {@code /api/health} and the logs show it. */
    String nodeName();

    /** The names of the nodes this one sees, itself included, oldest first. */
    List<String> members();

    /** The security state this node shares with the others; {@code ends} ends what a credential opened on this node. */
    SharedSecurity security(CredentialEnds ends);

    /** Shares the environments' admin changes with the other nodes; nothing to share on a single node. */
    void shareEnvironments(EnvironmentConfig config);

    /** Where this node keeps account of the processes its terminals run, for the others to end them if it dies. */
    ProcessLedger processLedger();

    /**
     * From now on, ends the processes of the nodes that die (when this node is the one to: see the grid's ledger),
     * through {@code reaper}, and tells {@code deaths}; nothing to do on a single node.
     */
    void reapDeadNodes(ProcessLedger.Reaper reaper, ProcessLedger.Deaths deaths);

    /**
     * Lets go of what the grid keeps in the calling thread: the server's thread that starts and stops the web app
     * (its main thread, on a standalone Tomcat) outlives it, and would keep the stopped web app's classes.
     */
    void releaseCallingThread();

    /** Where every node finds the terminals any node created; {@link TerminalDirectory#NONE} on a single node. */
    TerminalDirectory terminals();

    /** Where the edge agents are connected, for the calls made on a node without theirs; {@link AgentPlaces#NONE} alone. */
    AgentPlaces agentPlaces();

    /** Leaves the cluster and stops every thread it started; nothing is handed over. */
    @Override
    void close();
}
