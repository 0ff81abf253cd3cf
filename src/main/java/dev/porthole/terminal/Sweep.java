package dev.porthole.terminal;

import dev.porthole.docker.DockerEngine;
import dev.porthole.docker.ProcessMark;
import dev.porthole.docker.ReapScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the processes of terminals of one container and one user with as few short execs as can do it: one that sends
 * SIGHUP (what a closing terminal sends) and then SIGKILL to each process whose environment carries one of the
 * terminals' tags, and to every process in the same terminal session as those, which also catches one started with a
 * cleared environment ({@code env -i}).
 *
 * <p>Reading another user's {@code /proc/PID/environ} needs CAP_SYS_PTRACE, which containers lack by default (and a
 * privileged exec is refused where the engine itself runs without every capability), so the sweep runs as the
 * terminals' user. Root is needed only for what the terminal started as another user ({@code su}, {@code sudo}); the
 * user's sweep looks for it, and only when it may be there does a second exec run as root, with the session ids the
 * first one learnt.
 */
final class Sweep {
    private static final Logger log = LoggerFactory.getLogger(Sweep.class);

    private static final Set<String> ROOT = Set.of("root", "0", "0:0", "root:root");
    private static final Pattern SESSION_IDS = Pattern.compile("[0-9 ]*");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** What the user's pass prints: one line of session ids. */
    private static final int MAX_OUTPUT = 64 * 1024;

    private final DockerEngine engine;
    private final String container;
    private final String user;
    /** The terminals' own shells, known to exist, then /bin/sh for a "shell" that takes no {@code -c}. */
    private final List<String> shells;

    Sweep(DockerEngine engine, String container, String user, List<String> terminalShells) {
        this.engine = engine;
        this.container = container;
        this.user = user;
        Set<String> shells = new LinkedHashSet<>(terminalShells);
        shells.add("/bin/sh");
        this.shells = List.copyOf(shells);
    }

    static boolean isRoot(String user) {
        return ROOT.contains(user);
    }

    /** Ends the processes tagged with {@code tags}, and their sessions; {@code age} is that of the oldest terminal. */
    void endTagged(List<String> tags, Duration age) {
        if (isRoot(user)) {
            run(user, ReapScript.tagged(false, age, "", tags));
            return;
        }
        DockerEngine.Captured found = capture(ReapScript.tagged(true, age, "", tags));
        if (found == null) {
            // No shell ran it as the user (none found, or the user is unknown): root ends what it can find.
            run("0", ReapScript.tagged(false, age, "", tags));
        } else if (found.stdout().startsWith(ReapScript.NEEDS_ROOT)) {
            String sids = found.stdout().substring(ReapScript.NEEDS_ROOT.length()).strip();
            run("0", ReapScript.tagged(false, age, SESSION_IDS.matcher(sids).matches() ? sids : "", tags));
        }
    }

    /**
     * Ends the terminal session of {@code mark}: membership is read from /proc/PID/stat, which anyone may, and root may
     * signal every process, so one exec as root does it.
     */
    void endSession(ProcessMark mark) {
        run("0", ReapScript.session(mark));
    }

    private void run(String as, List<String> args) {
        for (String shell : shells) {
            try {
                Integer code = engine.run(container, command(shell, args), as, TIMEOUT);
                if (code != null && code == 0) {
                    return;
                }
                log.debug("ending processes in {} as {} with {} exited {}", container, as, shell, code);
            } catch (RuntimeException e) {
                log.debug("ending processes in {} as {} with {} failed: {}", container, as, shell, e.getMessage());
            }
        }
    }

    /** The user's pass, with what it printed; null when no shell ran it to the end. */
    private DockerEngine.Captured capture(List<String> args) {
        for (String shell : shells) {
            try {
                DockerEngine.Captured found = engine.capture(container, command(shell, args), user, TIMEOUT, MAX_OUTPUT);
                if (found.exitCode() != null && found.exitCode() == 0) {
                    return found;
                }
                log.debug("ending processes in {} as {} with {} exited {}", container, user, shell, found.exitCode());
            } catch (RuntimeException e) {
                log.debug("ending processes in {} as {} with {} failed: {}", container, user, shell, e.getMessage());
            }
        }
        return null;
    }

    private static List<String> command(String shell, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(shell));
        cmd.addAll(args);
        return cmd;
    }
}
