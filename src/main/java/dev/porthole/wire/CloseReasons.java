package dev.porthole.wire;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reasons a terminal socket closes with. RFC 6455 allows 123 bytes of UTF-8 in a close reason; longer
 * text is cut on a character boundary.
 *
 * <p>When the process ends, the socket closes with 1000 and {@code "exit <code>"}, for example {@code "exit 0"}
 * or {@code "exit 130"}, followed by {@code ": container stopped"} when the container stopped with it;
 * {@link #exitCode(String)} reads it back.
 */
public final class CloseReasons {
    public static final int MAX_REASON_BYTES = 123;
    private static final Pattern EXIT = Pattern.compile("exit (-?\\d+)(: .*)?");

    private CloseReasons() {
    }

    public static String exited(Integer exitCode) {
        return exitCode == null ? "exit unknown" : "exit " + exitCode;
    }

    public static OptionalInt exitCode(String reason) {
        Matcher m = EXIT.matcher(reason == null ? "" : reason);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** Cuts {@code reason} to at most 123 bytes of UTF-8 without splitting a character. */
    public static String fit(String reason) {
        if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < reason.length(); ) {
            int cp = reason.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_REASON_BYTES - 3) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return out.append("...").toString();
    }
}
