package dev.porthole.terminal;

/** Why a terminal session ended. */
public enum Ending {
    EXIT,
    CLIENT_CLOSED,
    /** The client stopped answering pings or reading output: a network cut, a closed laptop. */
    CLIENT_GONE,
    SIGNED_OUT,
    /** The HTTP session that opened the terminal timed out. */
    SESSION_EXPIRED,
    /** The API token that opened the terminal was revoked. */
    TOKEN_REVOKED,
    SHUTDOWN,
    /** An admin or the configuration file changed or removed the terminal's environment. */
    ENVIRONMENT_CHANGED,
    /** The Hawser agent that carried the terminal went away. */
    AGENT_LOST,
    /** The engine failed, refused to start the exec, or could not be reached. */
    ERROR
}
