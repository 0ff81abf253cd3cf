package dev.porthole.bench;

/** Small text helpers for messages. */
final class Text {
    private Text() {
    }

    /** Control characters made visible, so a failure message shows what the terminal really sent. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 && c != '\n') {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
