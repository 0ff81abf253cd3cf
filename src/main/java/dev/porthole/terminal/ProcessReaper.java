package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ExecState;
import dev.porthole.docker.ProcessMark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends every process a terminal started. The engine has no call that kills an exec process, and dropping its
 * connection leaves the shell running, so a second, short exec sends SIGHUP (what a closing terminal sends) and
 * then SIGKILL to each process whose environment carries the session's tag, and to every process in the same
 * terminal session as those, which also catches one started with a cleared environment ({@code env -i}).
 * Only a process that both cleared its environment and left the session ({@code setsid}) escapes.
 *
 * <p>Reading another user's {@code /proc/PID/environ} needs CAP_SYS_PTRACE, which containers lack by default
 * (and a privileged exec is refused where the engine itself runs without every capability), so the reaper runs
 * as the terminal's user, and then as root for what the terminal started as root ({@code su}, {@code sudo}).
 */
final class ProcessReaper {
    private static final Logger log = LoggerFactory.getLogger(ProcessReaper.class);

    /**
     * $1 is the tag. One grep reads every process's environment (a grep per process cost a fork each, a second in
     * a busy container); field 4 after the command name in /proc/PID/stat is the session id.
     */
    static final String SCRIPT = """
            tag="$1"; sids=" "; pids=""
            for f in $(grep -la "$tag" /proc/[0-9]*/environ 2>/dev/null); do
              d=${f%/environ}
              if read -r s < "$d/stat" 2>/dev/null; then
                set -- ${s##*)}; sids="$sids$4 "; pids="$pids ${d#/proc/}"
              fi
            done
            [ -z "$pids" ] && exit 0
            for d in /proc/[0-9]*; do
              read -r s < "$d/stat" 2>/dev/null || continue
              set -- ${s##*)}
              case "$sids" in *" $4 "*) pids="$pids ${d#/proc/}";; esac
            done
            kill -HUP $pids 2>/dev/null
            sleep 0.1 2>/dev/null || sleep 1
            kill -KILL $pids 2>/dev/null
            exit 0
            """;

    private static final java.util.Set<String> ROOT = java.util.Set.of("root", "0", "0:0", "root:root");

    private final ExecutorService threads;

    ProcessReaper(ExecutorService threads) {
        this.threads = threads;
    }

    /** Ends the processes of {@code ticket} in the background, then runs {@code then}. */
    void endProcesses(DockerEngine engine, ExecTicket ticket, Runnable then) {
        threads.execute(() -> {
            try {
                // An engine that cannot tag the environment (an edge agent's) marks the processes its own way.
                ProcessMark mark = engine.processMark(ticket.dockerExecId(), ticket.sessionTag());
                if (mark == null) {
                    log.warn("the processes of terminal {} on {} cannot be found to be ended", ticket.id(), ticket.environment());
                } else if (mark.kind() == ProcessMark.Kind.TAG) {
                    sweepEveryUser(engine, ticket, List.of("-c", SCRIPT, "porthole-reaper", mark.value()));
                } else {
                    sweepEveryUser(engine, ticket, List.of("-c", ProcessMark.SESSION_SCRIPT, "porthole-reaper", mark.value(),
                            mark.startTime()));
                }
                reportSurvivor(engine, ticket);
            } catch (RuntimeException e) {
                log.debug("ending the processes of {} failed: {}", ticket.id(), e.getMessage());
            } finally {
                then.run();
            }
        });
    }

    private static void sweepEveryUser(DockerEngine engine, ExecTicket ticket, List<String> args) {
        sweepAs(engine, ticket, args, ticket.user());
        if (!ROOT.contains(ticket.user())) {
            sweepAs(engine, ticket, args, "0");
        }
    }

    private static void sweepAs(DockerEngine engine, ExecTicket ticket, List<String> args, String user) {
        // The session's own shell is known to exist; /bin/sh is the fallback for a "shell" that takes no -c.
        for (String shell : List.of(ticket.shell(), "/bin/sh")) {
            try {
                List<String> cmd = new ArrayList<>(List.of(shell));
                cmd.addAll(args);
                Integer code = engine.run(ticket.container(), cmd, user, Duration.ofSeconds(10));
                if (code != null && code == 0) {
                    return;
                }
                log.debug("ending the processes of {} as {} with {} exited {}", ticket.id(), user, shell, code);
            } catch (RuntimeException e) {
                log.debug("ending the processes of {} as {} with {} failed: {}", ticket.id(), user, shell, e.getMessage());
            }
        }
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
