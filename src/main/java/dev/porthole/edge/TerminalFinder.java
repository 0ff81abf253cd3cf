package dev.porthole.edge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ProcessMark;
import dev.porthole.error.PortholeException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns what the agent does not tell about a terminal it started: the engine's id of its exec instance (for the
 * exit code) and its terminal session inside the container (to end its processes). The agent's {@code exec_start}
 * carries no environment, so the processes cannot be tagged as a direct engine's are.
 *
 * <p>The exec is the one new TTY exec of the container running {@code cmd} without arguments, comparing the
 * container's {@code ExecIDs} before the start and after {@code exec_ready} (starts are serialised per container,
 * so Porthole's own terminals never race here). Its host pid leads through {@code /containers/{id}/top} to its
 * tty ({@code pts/N}); in the container the session leader on that tty is the shell, whose pid is the id of the
 * session every process it starts stays in unless it calls setsid.
 */
final class TerminalFinder {
    private static final Logger log = LoggerFactory.getLogger(TerminalFinder.class);
    private static final Pattern PTS = Pattern.compile("(?:/dev/)?pts/(\\d+)");
    private static final Pattern DEVICE = Pattern.compile("(\\d+),(\\d+)");
    private static final Pattern LEADER = Pattern.compile("(?m)^(\\d+) (\\d+)$");
    /** $1 is the tty_nr; prints the pid and start time of the session leader on that tty. */
    static final String LEADER_SCRIPT = "want=\"$1\"; for d in /proc/[0-9]*; do read -r s < \"$d/stat\" 2>/dev/null "
            + "|| continue; p=${d#/proc/}; set -- ${s##*)}; if [ \"$5\" = \"$want\" ] && [ \"$4\" = \"$p\" ]; then "
            + "echo \"$p ${20}\"; fi; done; exit 0";

    private final AgentCalls calls;
    private final AgentExecs execs;

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

    /** The engine's id of the exec the agent just started, or null when it cannot be told apart. */
    String identify(String containerId, Set<String> before, String cmd, String user) {
        Set<String> fresh = execIds(containerId);
        fresh.removeAll(before);
        String found = null;
        int matches = 0;
        for (String id : fresh) {
            JsonNode exec = calls.json(calls.call("GET", "/exec/" + id + "/json", null));
            JsonNode config = exec.path("ProcessConfig");
            if (config.path("tty").asBoolean(false) && cmd.equals(config.path("entrypoint").asText())
                    && config.path("arguments").size() == 0 && user.equals(config.path("user").asText(""))) {
                found = id;
                matches++;
            }
        }
        if (matches != 1) {
            log.warn("cannot tell which of {} new exec instances of container {} is the terminal: its exit code will "
                    + "be unknown", matches, containerId);
            return null;
        }
        return found;
    }

    /** The terminal's session in the container, or null when it cannot be learnt (its processes may then survive). */
    ProcessMark session(String containerId, String engineExecId) {
        try {
            JsonNode exec = calls.json(calls.checked("exec instance", "GET", "/exec/" + engineExecId + "/json", null));
            long pid = exec.path("Pid").asLong(0);
            if (pid <= 0 || !exec.path("Running").asBoolean(false)) {
                return null; // it already ended: nothing of it can still run on its tty
            }
            Integer ttyNr = ttyNr(containerId, pid);
            if (ttyNr == null) {
                return null;
            }
            DockerEngine.Captured leader = execs.capture(containerId,
                    List.of("/bin/sh", "-c", LEADER_SCRIPT, "porthole-find", ttyNr.toString()), "0", Duration.ofSeconds(10), 256);
            Matcher m = LEADER.matcher(leader.stdout());
            return m.find() ? ProcessMark.session(Integer.parseInt(m.group(1)), m.group(2)) : null;
        } catch (PortholeException e) {
            log.warn("cannot learn the terminal session of exec {} in container {}: {}", engineExecId, containerId,
                    e.getMessage());
            return null;
        }
    }

    private Integer ttyNr(String containerId, long hostPid) {
        JsonNode top = calls.json(calls.checked("container " + containerId, "GET",
                "/containers/" + containerId + "/top?ps_args=-o%20pid,tty", null));
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
        for (JsonNode row : top.path("Processes")) {
            if (pidColumn >= 0 && ttyColumn >= 0 && row.path(pidColumn).asText().equals(Long.toString(hostPid))) {
                return ttyNr(row.path(ttyColumn).asText());
            }
        }
        return null;
    }

    /** The kernel's tty_nr (field 7 of /proc/PID/stat) of {@code pts/N} or {@code major,minor}; null otherwise. */
    static Integer ttyNr(String tty) {
        int major;
        int minor;
        Matcher pts = PTS.matcher(tty.trim());
        Matcher device = DEVICE.matcher(tty.trim());
        if (pts.matches()) {
            int n = Integer.parseInt(pts.group(1));
            major = 136 + n / 256; // Unix98 pty slaves: majors 136-143, 256 minors each
            minor = n % 256;
        } else if (device.matches()) {
            major = Integer.parseInt(device.group(1));
            minor = Integer.parseInt(device.group(2));
        } else {
            return null;
        }
        return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
    }
}
