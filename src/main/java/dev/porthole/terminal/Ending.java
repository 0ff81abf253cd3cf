package dev.porthole.terminal;

/** Why a terminal session ended. */
public enum Ending {
    EXIT,
    CLIENT_CLOSED,
    SIGNED_OUT,
    SHUTDOWN,
    ERROR
}
