package dev.porthole.terminal;

import java.util.concurrent.Executor;

/**
 * What every terminal uses and none owns: the reaper of ended terminals' processes, the count of starts the reaper
 * gives way to, the terminal threads (starts, blocking pumps, first resizes, ends of watched streams), the output
 * selectors, the observer (audit, metrics), and the ledger that lets another node end the processes if this one dies.
 */
record TerminalParts(ProcessReaper reaper, TerminalStarts starts, Executor terminalThreads, OutputSelectors selectors,
        TerminalObserver observer, ProcessLedger ledger) {
}
