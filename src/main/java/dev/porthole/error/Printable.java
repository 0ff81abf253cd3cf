package dev.porthole.error;

/**
 * Makes client-supplied text safe to echo in an error message or a log line: no control characters and no line or
 * paragraph separators (each would start a forged line in a log), bounded length.
 */
public final class Printable {
    private Printable() {
    }

    public static String of(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 1));
        text.codePoints().limit(max).forEach(c -> out.appendCodePoint(breaksLines(c) ? '?' : c));
        if (text.codePointCount(0, text.length()) > max) {
            out.append('…');
        }
        return out.toString();
    }

    private static boolean breaksLines(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
