package dev.porthole.docker;

/**
 * What marks the processes of one terminal inside its container. {@code TAG}: their environment holds
 * {@code PORTHOLE_SESSION=value}. {@code SESSION}: they belong to the terminal session (setsid) whose leader has
 * container pid {@code value} and, while it lives, the start time {@code startTime} (clock ticks, field 22 of
 * {@code /proc/PID/stat}), which tells the leader from a later process that got its pid. Serializable: the cluster's
 * ledger of running processes holds it, for a survivor to end them.
 */
public record ProcessMark(Kind kind, String value, String startTime) implements java.io.Serializable {
    public enum Kind { TAG, SESSION }

    public static ProcessMark tagged(String tag) {
        return new ProcessMark(Kind.TAG, tag, null);
    }

    public static ProcessMark session(int leaderPid, String startTime) {
        return new ProcessMark(Kind.SESSION, Integer.toString(leaderPid), startTime);
    }
}
