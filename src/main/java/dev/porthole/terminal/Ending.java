package dev.porthole.terminal;

/** Why a terminal session ended. */
enum Ending {
    EXIT,
    CLIENT_CLOSED,
    SIGNED_OUT,
    SHUTDOWN,
    ERROR
}
