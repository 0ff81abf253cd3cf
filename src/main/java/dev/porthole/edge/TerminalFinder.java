package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ProcessMark;
import dev.porthole.error.PortholeException;
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
 * size), and a short exec in the container looks for the session leader whose tty has that size: that is the
 * terminal's shell, whose pid is the id of the session every process it starts stays in unless it calls setsid.
 * The exec instance: the container's new {@code ExecIDs} after {@code exec_ready} that run {@code cmd} with a TTY
 * and no arguments; when someone else started a like one at the same moment, the one whose process sits on the
 * terminal's tty ({@code /containers/{id}/top}).
 */
final class TerminalFinder {
    private static final Logger log = LoggerFactory.getLogger(TerminalFinder.class);
    private static final Pattern PTS = Pattern.compile("(?:/dev/)?pts/(\\d+)");
    private static final Pattern FOUND = Pattern.compile("(?m)^(\\d+) (\\d+) (\\d+)$");
    /**
     * $1 is "rows cols"; prints pid, start time and pts number of each session leader whose pts has that size.
     * Unix98 pty slaves have majors 136-143 with 256 minors each; tty_nr packs the minor's high bits at bit 20.
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
              [ "$(stty -F /dev/pts/$n size 2>/dev/null)" = "$want" ] && echo "$p ${20} $n"
            done
            exit 0
            """;

    /** What was learnt; either part may be null when it could not be. */
    record Found(String engineExecId, ProcessMark mark) {
    }

    private final AgentCalls calls;
    private final AgentExecs execs;
    private final SecureRandom random = new SecureRandom();

    TerminalFinder(AgentCalls calls, AgentExecs execs) {
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

    /** Call after {@code exec_ready}, before the client's first size; {@code before} is the ExecIDs before the start. */
    Found find(String containerId, Set<String> before, String cmd, String user, EdgeTerminal terminal) {
        try {
            int rows = 1000 + random.nextInt(9000);
            int cols = 1000 + random.nextInt(9000);
            String[] session = session(containerId, rows, cols, terminal);
            ProcessMark mark = session == null ? null : ProcessMark.session(Integer.parseInt(session[0]), session[1]);
            String execId = execId(containerId, before, cmd, user, session == null ? null : session[2]);
            if (terminal.hasEnded()) {
                log.debug("terminal in container {} ended as it started", containerId); // nothing of it runs
            } else if (mark == null || execId == null) {
                log.warn("terminal in container {}: {}{}", containerId, mark == null ? "its processes cannot be found to be "
                        + "ended when it closes; " : "", execId == null ? "its exit code will be unknown" : "");
            }
            return new Found(execId, mark);
        } catch (PortholeException e) {
            log.warn("cannot learn about the terminal in container {}: {}", containerId, e.getMessage());
            return new Found(null, null);
        }
    }

    /** pid, start time and pts number of the session leader on the tty of that size; null if none shows up. */
    private String[] session(String containerId, int rows, int cols, EdgeTerminal terminal) {
        // The agent applies the size on a goroutine of its own: look a few times, while the terminal lives, and
        // ask again now and then in case a resize was lost. Keystrokes wait for this, so it must stay short.
        for (int attempt = 0; attempt < 10 && !terminal.hasEnded(); attempt++) {
            if (attempt % 4 == 0) {
                terminal.resize(cols, rows);
            }
            DockerEngine.Captured found = execs.capture(containerId, List.of("/bin/sh", "-c", SIZE_SCRIPT, "porthole-find",
                    rows + " " + cols), "0", Duration.ofSeconds(10), 1024);
            Matcher m = FOUND.matcher(found.stdout());
            if (m.find()) {
                return new String[] {m.group(1), m.group(2), m.group(3)};
            }
            if (found.exitCode() == null || found.exitCode() != 0) {
                return null; // no /bin/sh, or no /proc: this container cannot be searched
            }
            sleep(50);
        }
        return null;
    }

    private String execId(String containerId, Set<String> before, String cmd, String user, String pts) {
        Set<String> fresh = execIds(containerId);
        fresh.removeAll(before);
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
        if (candidates.isEmpty() || pts == null) {
            return null;
        }
        JsonNode top = calls.json(calls.checked("container " + containerId, "GET",
                "/containers/" + containerId + "/top?ps_args=-o%20pid,tty", null));
        for (JsonNode exec : candidates) {
            String tty = ttyOf(top, exec.path("Pid").asText());
            Matcher m = tty == null ? null : PTS.matcher(tty);
            if (m != null && m.matches() && m.group(1).equals(pts)) {
                return exec.path("ID").asText(null);
            }
        }
        return null;
    }

    /** The TT column of host pid {@code pid} in a top answer. */
    private static String ttyOf(JsonNode top, String pid) {
        int pidColumn = -1;
        int ttyColumn = -1;
        JsonNode titles = top.path("Titles");
        for (int i = 0; i < titles.size(); i++) {
            String title = titles.get(i).asText();
            if (title.equals("PID")) {
                pidColumn = i;
            } else if (title.equals("TT") || title.equals("TTY")) {
                ttyColumn = i;
            }
        }
        if (pidColumn < 0 || ttyColumn < 0) {
            return null;
        }
        for (JsonNode row : top.path("Processes")) {
            if (row.path(pidColumn).asText().equals(pid)) {
                return row.path(ttyColumn).asText();
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
