package dev.porthole.terminal;

/** Why a terminal session ended. */
public enum Ending {
    EXIT,
    CLIENT_CLOSED,
    /** The client stopped answering pings or reading output: a network cut, a closed laptop. */
    CLIENT_GONE,
    SIGNED_OUT,
    SHUTDOWN,
    /** An admin or the configuration file changed or removed the terminal's environment. */
    ENVIRONMENT_CHANGED,
    ERROR
}
