package dev.porthole.terminal;

import dev.porthole.docker.ProcessMark;

/**
 * What the reaper needs to find one terminal's processes in its container: a terminal of this node
 * ({@link TerminalSpec}), or one another node ran and that node died ({@link RunningProcess}).
 */
interface TerminalProcesses {
    /** The terminal's exec id, for the logs. */
    String id();

    String container();

    /** The user its process runs as, whom the sweep runs as first ({@link Sweep}). */
    String user();

    String shell();

    /** When the terminal was created, on this JVM's {@link System#nanoTime()} scale. */
    long createdNanos();

    /** How its processes are recognised; null when they cannot be. Throws when its exec never existed. */
    ProcessMark processMark();
}
