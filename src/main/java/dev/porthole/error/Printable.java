package dev.porthole.error;

/** Makes client-supplied text safe to echo in an error message: no control characters, bounded length. */
public final class Printable {
    private Printable() {
    }

    public static String of(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 1));
        text.codePoints().limit(max).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        if (text.codePointCount(0, text.length()) > max) {
            out.append('…');
        }
        return out.toString();
    }
}
