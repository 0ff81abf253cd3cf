package dev.porthole.terminal;

import dev.porthole.error.PortholeException;
import dev.porthole.error.Printable;
import java.util.regex.Pattern;

/** Rows and columns of a terminal, within the bounds a real screen can have. */
public record TerminalSize(int rows, int cols) implements java.io.Serializable {
    public static final int MAX = 1000;
    /** What {@code docker exec -it} gives a terminal before the client tells its size. */
    public static final TerminalSize DEFAULT = new TerminalSize(24, 80);
    /**
     * ASCII digits and nothing else: parseInt would also take a sign and other scripts' digits (full-width, Arabic),
     * and trimming would let spaces through. Four digits hold every allowed value.
     */
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,4}");

    public static TerminalSize parse(String rows, String cols) {
        return new TerminalSize(dimension("h", rows), dimension("w", cols));
    }

    private static int dimension(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw PortholeException.badRequest(name + " is required");
        }
        int n = DIGITS.matcher(value).matches() ? Integer.parseInt(value) : 0;
        if (n < 1 || n > MAX) {
            throw PortholeException.badRequest(name + " must be a whole number from 1 to " + MAX + ", not '"
                    + Printable.of(value, 20) + "'");
        }
        return n;
    }
}
