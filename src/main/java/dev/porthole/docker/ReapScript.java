package dev.porthole.docker;

import java.util.ArrayList;
import java.util.List;

/**
 * The one shell script that ends terminals' processes inside a container, and its arguments (what follows the shell;
 * {@code porthole-reaper} is its {@code $0}, which names it in the engine's events). It sends SIGHUP, what a closing
 * terminal sends, then SIGKILL to every process of the terminal sessions it finds; how it finds them is its mode:
 * <ul>
 * <li>{@code user} and {@code root}: sessions of the processes whose environment carries one of the tags, plus the
 * session ids given. One grep reads every process's environment (a grep per process cost a fork each, a second in a
 * busy container). In user mode a process that is not a zombie, whose environment cannot be read (another user's,
 * or not dumpable) and that started during the oldest terminal's life, less 2 s for the clocks, may be one the
 * terminals started as another user: the script then prints {@link #NEEDS_ROOT} and the session ids for a second
 * pass as root. A process started before the terminals cannot be theirs.
 * <li>{@code session}: the one session whose leader has the given container pid and start time, for an engine that
 * could not tag the environment (an edge agent's exec carries none). A live process with that pid and another start
 * time is not the leader but a later process that got its pid: then nothing is ended. The session id outlives its
 * leader (the kernel does not reuse it while a member lives), so after {@code exit} the rest is still found.
 * </ul>
 * After the command name in /proc/PID/stat, field 4 is the session id, field 20 the start time in clock ticks since
 * boot (USER_HZ, 100 a second on Linux).
 */
public final class ReapScript {
    /** What the user's pass prints, then the session ids, when a pass as root must follow. */
    public static final String NEEDS_ROOT = "needs-root";

    /** $1 the mode; $2 the oldest terminal's age in hundredths of a second, or the leader's start time; $3 session ids. */
    static final String SCRIPT = """
            mode="$1"; age="$2"; known="$3"; sids=" $3 "; shift 3
            if [ "$mode" = session ] && read -r s < "/proc/$known/stat" 2>/dev/null; then
              set -- ${s##*)}; [ "${20}" = "$age" ] || exit 0
              set --
            fi
            pats=""
            for tag; do pats="$pats -e $tag"; done
            if [ -n "$pats" ]; then
              for f in $(grep -la $pats /proc/[0-9]*/environ 2>/dev/null); do
                d=${f%/environ}
                if read -r s < "$d/stat" 2>/dev/null; then
                  set -- ${s##*)}; sids="$sids$4 "
                fi
              done
            fi
            since=""
            if [ "$mode" = user ]; then
              read -r s < /proc/$$/stat; set -- ${s##*)}; since=$(( ${20} - age - 200 ))
            else
              case "$sids" in *[0-9]*) ;; *) exit 0;; esac
            fi
            pids=""; foreign=""
            for d in /proc/[0-9]*; do
              read -r s < "$d/stat" 2>/dev/null || continue
              set -- ${s##*)}
              [ "$1" = Z ] && continue
              case "$sids" in *" $4 "*) pids="$pids ${d#/proc/}";; esac
              [ -n "$since" ] && [ "${20}" -ge "$since" ] && [ ! -r "$d/environ" ] && foreign=1
            done
            if [ -n "$pids" ]; then
              kill -HUP $pids 2>/dev/null
              sleep 0.1 2>/dev/null || sleep 1
              kill -KILL $pids 2>/dev/null
            fi
            [ -z "$foreign" ] || echo "needs-root$sids"
            exit 0
            """;

    private ReapScript() {
    }

    /**
     * The processes tagged with {@code tags} and their sessions, and the sessions {@code sids} (space-separated);
     * {@code user} says whether this is the pass as the terminals' user, whose oldest is {@code age} old.
     */
    public static List<String> tagged(boolean user, java.time.Duration age, String sids, List<String> tags) {
        List<String> args = new ArrayList<>(List.of("-c", SCRIPT, "porthole-reaper", user ? "user" : "root",
                user ? Long.toString(age.toMillis() / 10) : "0", sids));
        args.addAll(tags);
        return args;
    }

    /** The terminal session of {@code mark}, a {@link ProcessMark.Kind#SESSION} mark; to be run as root. */
    public static List<String> session(ProcessMark mark) {
        return List.of("-c", SCRIPT, "porthole-reaper", "session", mark.startTime(), mark.value());
    }
}
