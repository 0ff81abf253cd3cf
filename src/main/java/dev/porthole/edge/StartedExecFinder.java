package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ProcessMark;
import dev.porthole.error.PortholeException;
import dev.porthole.error.Problem;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns what the agent does not tell about a terminal it started: its session inside the container (to end its
 * processes; {@code exec_start} carries no environment, so they cannot be tagged as a direct engine's are) and
 * the engine's id of its exec instance (for the exit code).
 *
 * <p>The session: the terminal is given a size no one else's has ({@code exec_resize}, before the client's own
 * size), and a short exec in the container, as the terminal's user, looks for the session leader whose tty has that
 * size: that is the terminal's shell, whose pid is the id of the session every process it starts stays in unless it
 * calls setsid. The exec instance: among the container's exec instances that appeared while the agent started the
 * terminal, those that run {@code cmd} with a TTY, no arguments and the same user. When another client started a
 * like one at that moment, the shell's process is told apart from the engine's side by a figure both sides see: the
 * address where its stack starts (randomised for every process; {@code /proc/PID/stat} inside, which its own user
 * may read, {@code ps -o start_stack} through {@code /containers/{id}/top} outside), else by its tty's name, which
 * the engine host's {@code ps} gives only when the host has a pts of that number.
 */
public final class StartedExecFinder {
    private static final Logger log = LoggerFactory.getLogger(StartedExecFinder.class);
    private static final Pattern PTS = Pattern.compile("(?:/dev/)?pts/(\\d+)");
    /** How long the session is looked for at most: the terminal's first keystrokes wait for it. */
    private static final Duration SEARCH = Duration.ofSeconds(20);
    private static final Pattern FOUND = Pattern.compile("(?m)^(\\d+) (\\d+) (\\d+) (\\d+)$");
    /**
     * $1 is "rows cols"; prints pid, start time, pts number and stack start of each session leader whose pts has
     * that size (the stack start reads 0 for another user's process). Unix98 pty slaves have majors 136-143 with 256
     * minors each; tty_nr packs the minor's high bits at bit 20.
     */
    static final String SIZE_SCRIPT = """
            want="$1"
            for d in /proc/[0-9]*; do
              read -r s < "$d/stat" 2>/dev/null || continue
              p=${d#/proc/}; set -- ${s##*)}
              [ "$4" = "$p" ] && [ "$5" != 0 ] || continue
              major=$(( ($5 >> 8) & 4095 )); minor=$(( ($5 & 255) | (($5 >> 12) & 1048320) ))
              [ "$major" -ge 136 ] && [ "$major" -le 143 ] || continue
              n=$(( (major - 136) * 256 + minor ))
              [ "$(stty -F /dev/pts/$n size 2>/dev/null)" = "$want" ] && echo "$p ${20} $n ${26}"
            done
            exit 0
            """;

    /** What was learnt; either part may be null when it could not be. */
    public record Found(String engineExecId, ProcessMark mark) implements java.io.Serializable {
    }

    /** The terminal's shell as seen inside the container; {@code stackStart} 0 when it could not be read. */
    private record Shell(int pid, String startTime, String pts, long stackStart) {
    }

    private final AgentCalls calls;
    private final AgentExecs execs;
    private final SecureRandom random = new SecureRandom();

    StartedExecFinder(AgentCalls calls, AgentExecs execs) {
        this.calls = calls;
        this.execs = execs;
    }

    Set<String> execIds(String containerId) {
        Set<String> ids = new HashSet<>();
        container(containerId).path("ExecIDs").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    JsonNode container(String container) {
        return calls.json(calls.checked("container " + container, "GET", "/containers/" + container + "/json", null));
    }

    /**
     * Call after {@code exec_ready}, before the client's first size; {@code fresh} are the container's exec instances
     * that appeared while the agent started the terminal.
     */
    Found find(String containerId, Set<String> fresh, String cmd, String user, AgentExecStream terminal) {
        int rows = 1000 + random.nextInt(9000);
        int cols = 1000 + random.nextInt(9000);
        Shell shell = shell(containerId, user, rows, cols, terminal);
        ProcessMark mark = shell == null ? null : ProcessMark.session(shell.pid(), shell.startTime());
        String execId = null;
        try {
            execId = execId(containerId, fresh, cmd, user, shell);
        } catch (PortholeException e) {
            log.debug("cannot find the exec instance of the terminal in container {}: {}", containerId, e.getMessage());
        }
        if (terminal.hasEnded()) {
            log.debug("terminal in container {} ended as it started", containerId); // nothing of it runs
        } else if (mark == null || execId == null) {
            log.warn("terminal in container {}: {}{}", containerId, mark == null ? "its processes cannot be found to be "
                    + "ended when it closes; " : "", execId == null ? "its exit code will be unknown" : "");
        }
        return new Found(execId, mark);
    }

    /**
     * The session leader on the tty of that size; null if none shows up within {@link #SEARCH}. Looked for as the
     * terminal's user, who may read its stack start, and as root when that user cannot run {@code /bin/sh}.
     */
    private Shell shell(String containerId, String user, int rows, int cols, AgentExecStream terminal) {
        String as = user.isEmpty() ? "0" : user;
        long deadline = System.nanoTime() + SEARCH.toNanos();
        // The agent applies the size on a goroutine of its own: look a few times, while the terminal lives, and
        // ask again now and then in case a resize was lost. Keystrokes wait for this, so it must stay short; a look
        // that failed (on a busy host, the agent gives up a call after 30 s) is one look fewer, not the end.
        for (int attempt = 0; attempt < 10 && !terminal.hasEnded() && System.nanoTime() < deadline; attempt++) {
            if (attempt % 4 == 0) {
                terminal.resize(cols, rows);
            }
            DockerEngine.Captured found;
            try {
                found = execs.capture(containerId, List.of("/bin/sh", "-c", SIZE_SCRIPT, "porthole-find", rows + " " + cols),
                        as, Duration.ofSeconds(10), 1024);
            } catch (PortholeException e) {
                if (e.problem() == Problem.NOT_FOUND) {
                    return null; // the container is gone
                }
                log.debug("looking for the terminal's session in container {} failed: {}", containerId, e.getMessage());
                continue;
            }
            Matcher m = FOUND.matcher(found.stdout());
            if (m.find()) {
                return new Shell(Integer.parseInt(m.group(1)), m.group(2), m.group(3), Long.parseUnsignedLong(m.group(4)));
            }
            if (found.exitCode() == null || found.exitCode() != 0) {
                if (as.equals("0")) {
                    return null; // no /bin/sh, or no /proc: this container cannot be searched
                }
                as = "0";
            }
            sleep(50);
        }
        return null;
    }

    private String execId(String containerId, Set<String> fresh, String cmd, String user, Shell shell) {
        List<JsonNode> candidates = new ArrayList<>();
        for (String id : fresh) {
            JsonNode exec = calls.json(calls.call("GET", "/exec/" + id + "/json", null));
            JsonNode config = exec.path("ProcessConfig");
            if (config.path("tty").asBoolean(false) && cmd.equals(config.path("entrypoint").asText())
                    && config.path("arguments").size() == 0 && user.equals(config.path("user").asText(""))) {
                candidates.add(exec);
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0).path("ID").asText(null);
        }
        if (candidates.isEmpty() || shell == null) {
            return null;
        }
        JsonNode top = top(containerId);
        for (JsonNode exec : candidates) {
            String pid = exec.path("Pid").asText();
            if (shell.stackStart() != 0 && Long.valueOf(shell.stackStart()).equals(stackStart(column(top, pid, "STACKP")))) {
                log.debug("{} like exec instances started at once in container {}: told apart by the stack start",
                        candidates.size(), containerId);
                return exec.path("ID").asText(null);
            }
            String tty = column(top, pid, "TT");
            Matcher m = tty == null ? null : PTS.matcher(tty);
            if (m != null && m.matches() && m.group(1).equals(shell.pts())) {
                log.debug("{} like exec instances started at once in container {}: told apart by the tty",
                        candidates.size(), containerId);
                return exec.path("ID").asText(null);
            }
        }
        return null;
    }

    /** The container's processes by host pid, with their tty and stack start where the engine host's ps has it. */
    private JsonNode top(String containerId) {
        AgentPlaces.AgentReply reply = calls.call("GET", "/containers/" + containerId + "/top?ps_args=-o%20pid,tty,start_stack", null);
        if (!reply.ok()) { // a ps without start_stack
            reply = calls.checked("container " + containerId, "GET", "/containers/" + containerId
                    + "/top?ps_args=-o%20pid,tty", null);
        }
        return calls.json(reply);
    }

    private static Long stackStart(String hex) {
        try {
            return hex == null ? null : Long.parseUnsignedLong(hex.trim(), 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The column titled {@code title} (or TTY for TT) of host pid {@code pid} in a top answer. */
    private static String column(JsonNode top, String pid, String title) {
        int pidColumn = -1;
        int wanted = -1;
        JsonNode titles = top.path("Titles");
        for (int i = 0; i < titles.size(); i++) {
            String t = titles.get(i).asText();
            if (t.equals("PID")) {
                pidColumn = i;
            } else if (t.equals(title) || title.equals("TT") && t.equals("TTY")) {
                wanted = i;
            }
        }
        if (pidColumn < 0 || wanted < 0) {
            return null;
        }
        for (JsonNode row : top.path("Processes")) {
            if (row.path(pidColumn).asText().equals(pid)) {
                return row.path(wanted).asText();
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
