package dev.porthole.docker;

/**
 * What marks the processes of one terminal inside its container. {@code TAG}: their environment holds
 * {@code PORTHOLE_SESSION=value}. {@code SESSION}: they belong to the terminal session (setsid) whose leader has
 * container pid {@code value} and, while it lives, the start time {@code startTime} (clock ticks, field 22 of
 * {@code /proc/PID/stat}), which tells the leader from a later process that got its pid.
 */
public record ProcessMark(Kind kind, String value, String startTime) {
    public enum Kind { TAG, SESSION }

    /**
     * For an engine that could not tag the environment (an edge agent's exec carries none): $1 is the container pid
     * of the terminal's session leader, $2 its start time. A live process with that pid and another start time is
     * not the leader but a later process that got its pid: then nothing is ended. The session id outlives its
     * leader (the kernel does not reuse it while a member lives), so after {@code exit} the rest is still found.
     */
    public static final String SESSION_SCRIPT = """
            sid="$1"; start="$2"; pids=""
            if read -r s < "/proc/$sid/stat" 2>/dev/null; then
              set -- ${s##*)}; [ "${20}" = "$start" ] || exit 0
            fi
            for d in /proc/[0-9]*; do
              read -r s < "$d/stat" 2>/dev/null || continue
              set -- ${s##*)}
              [ "$4" = "$sid" ] && pids="$pids ${d#/proc/}"
            done
            [ -z "$pids" ] && exit 0
            kill -HUP $pids 2>/dev/null
            sleep 0.1 2>/dev/null || sleep 1
            kill -KILL $pids 2>/dev/null
            exit 0
            """;

    public static ProcessMark tagged(String tag) {
        return new ProcessMark(Kind.TAG, tag, null);
    }

    public static ProcessMark session(int leaderPid, String startTime) {
        return new ProcessMark(Kind.SESSION, Integer.toString(leaderPid), startTime);
    }
}
