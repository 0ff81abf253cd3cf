package dev.porthole.terminal;

/**
 * Which terminals' processes this node runs, kept where the other nodes can read it, so that a survivor ends them
 * when this node dies. A process is written once it started and removed once it is known ended (after its sweep),
 * never at the socket's close: a node that dies between the two leaves it for a survivor.
 */
public interface ProcessLedger {
    /** {@code process} started on this node. */
    void started(RunningProcess process);

    /** The processes of {@code execId} are ended (or were never started). */
    void ended(String execId);

    /** A node alone: nobody else could end its processes, so nothing is kept. */
    ProcessLedger NONE = new ProcessLedger() {
        @Override
        public void started(RunningProcess process) {
        }

        @Override
        public void ended(String execId) {
        }
    };

    /** Ends the processes of a terminal another node ran; {@code then} runs once they are ended, whatever failed. */
    interface Reaper {
        void endProcesses(RunningProcess process, Runnable then);
    }

    /** Told once per node that died, by the node that ended its processes. */
    interface Deaths {
        void reaped(String node, int processesEnded);
    }
}
