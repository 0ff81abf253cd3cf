package dev.porthole.it.edge;

import dev.porthole.it.Engine;
import java.time.Duration;

/**
 * Finds what terminals through an agent left running in the test containers: processes whose environment has the
 * {@code TERM=xterm} the engine gives a TTY exec and no {@code PORTHOLE_SESSION} tag (a direct terminal's have
 * one; the reaper's and shell detection's execs have no TTY). The tests wait for none before their agents go, so
 * that no test leaves a process behind, nor hands one to the next test's agent to end.
 */
public final class EdgeShells {
    private static final String SCRIPT = "for d in /proc/[0-9]*; do { e=$(tr '\\0' '\\n' 2>/dev/null < $d/environ); } 2>/dev/null "
            + "|| continue; case \"$e\" in *PORTHOLE_SESSION=*) continue;; esac; "
            + "echo \"$e\" | grep -qx TERM=xterm && echo \"${d#/proc/} $(tr '\\0' ' ' 2>/dev/null < $d/cmdline)\"; done 2>/dev/null; exit 0";

    private EdgeShells() {
    }

    public static void awaitNone(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String left;
        do {
            left = Engine.exec("ph-busybox", "sh", "-c", SCRIPT) + Engine.exec("ph-bash", "sh", "-c", SCRIPT);
            if (left.isBlank()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("terminals through an agent left processes running:\n" + left);
    }
}
