package dev.porthole.terminal;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;

/** Rows and columns of a terminal, within the bounds a real screen can have. */
public record TerminalSize(int rows, int cols) {
    public static final int MAX = 1000;
    /** What {@code docker exec -it} gives a terminal before the client tells its size. */
    public static final TerminalSize DEFAULT = new TerminalSize(24, 80);

    public static TerminalSize parse(String rows, String cols) {
        return new TerminalSize(dimension("h", rows), dimension("w", cols));
    }

    private static int dimension(String name, String value) {
        if (value == null || value.isBlank()) {
            throw PortholeException.badRequest(name + " is required");
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw PortholeException.badRequest(name + " must be a whole number, not '" + Printable.of(value, 20) + "'");
        }
        if (n < 1 || n > MAX) {
            throw PortholeException.badRequest(name + " must be between 1 and " + MAX + ", not " + n);
        }
        return n;
    }
}
