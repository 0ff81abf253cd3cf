package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ExecState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends every process a terminal started. The engine has no call that kills an exec process, and dropping its
 * connection leaves the shell running, so a second, short exec sends SIGHUP (what a closing terminal sends) and
 * then SIGKILL to each process whose environment carries the session's tag. A process started with a cleared
 * environment ({@code env -i}) escapes the tag; README.md says so.
 */
final class ProcessReaper {
    private static final Logger log = LoggerFactory.getLogger(ProcessReaper.class);

    /**
     * $1 is the tag. Pass one hangs up, pass two kills what ignored the hang-up. grep -a reads environ, whose
     * entries are NUL-separated; the script's own process does not carry the tag in its environment.
     */
    static final String SCRIPT = """
            tag="$1"; hit=0
            sweep() { for d in /proc/[0-9]*; do
              if grep -qa "$tag" "$d/environ" 2>/dev/null; then kill "-$1" "${d#/proc/}" 2>/dev/null && hit=1; fi
            done; }
            sweep HUP
            [ "$hit" = 0 ] && exit 0
            sleep 0.2 2>/dev/null || sleep 1
            sweep KILL
            exit 0
            """;

    private final ExecutorService threads;

    ProcessReaper(ExecutorService threads) {
        this.threads = threads;
    }

    /** Ends the processes of {@code ticket} in the background, then runs {@code then}. */
    void endProcesses(DockerEngine engine, ExecTicket ticket, Runnable then) {
        threads.execute(() -> {
            try {
                endNow(engine, ticket);
            } finally {
                then.run();
            }
        });
    }

    private void endNow(DockerEngine engine, ExecTicket ticket) {
        // The session's own shell is known to exist; /bin/sh is the fallback for a "shell" that takes no -c.
        for (String shell : List.of(ticket.shell(), "/bin/sh")) {
            try {
                Integer code = engine.run(ticket.container(),
                        List.of(shell, "-c", SCRIPT, "porthole-reaper", ticket.sessionTag()), "0", Duration.ofSeconds(10));
                if (code != null && code == 0) {
                    reportSurvivor(engine, ticket);
                    return;
                }
            } catch (RuntimeException e) {
                log.debug("ending the processes of {} with {} failed: {}", ticket.id(), shell, e.getMessage());
            }
        }
        reportSurvivor(engine, ticket);
    }

    private static void reportSurvivor(DockerEngine engine, ExecTicket ticket) {
        try {
            for (int i = 0; i < 50; i++) {
                ExecState state = engine.inspect(ticket.dockerExecId());
                if (!state.running()) {
                    return;
                }
                Thread.sleep(20);
            }
            log.warn("the process of terminal {} in container {} on {} is still running after its terminal closed",
                    ticket.id(), ticket.container(), ticket.environment());
        } catch (RuntimeException e) {
            log.debug("cannot inspect exec of {}: {}", ticket.id(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
