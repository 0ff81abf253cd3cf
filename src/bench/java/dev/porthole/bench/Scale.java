package dev.porthole.bench;

/**
 * How big each figure is. {@code full} is issue 8's; {@code small} is for developing against the engine that
 * other developers' tests share, and finishes in about a minute.
 */
record Scale(String name, long throughputBytes, int keystrokes, int warmUpKeystrokes, int sessions,
        int sessionContainers, int warmUpLoadSeconds, int loadSeconds, int execCreates, int pasteBytes,
        int slowReaderSeconds, int churnCycles, int burstTerminals, int promptRounds, int compressionBytes) {

    /** The scale {@code name}, with {@code sessions} terminals in the many-sessions figures when it is positive. */
    static Scale named(String name, int sessions) {
        Scale scale = named(name);
        return sessions > 0 ? scale.withSessions(sessions) : scale;
    }

    Scale withSessions(int n) {
        return new Scale(name, throughputBytes, keystrokes, warmUpKeystrokes, n, sessionContainers, warmUpLoadSeconds,
                loadSeconds, execCreates, pasteBytes, slowReaderSeconds, churnCycles, burstTerminals, promptRounds,
                compressionBytes);
    }

    static Scale named(String name) {
        return switch (name) {
            case "full" -> new Scale(name, 256L << 20, 2000, 20000, 1000, 4, 10, 20, 1000, 1 << 20, 30, 40, 300, 20,
                    16 << 20);
            case "small" -> new Scale(name, 16L << 20, 200, 200, 50, 2, 2, 5, 100, 1 << 20, 5, 10, 48, 5, 4 << 20);
            // small, but with full's thousand sessions: for work on memory and threads per session
            case "many" -> new Scale(name, 16L << 20, 200, 200, 1000, 4, 2, 10, 100, 1 << 20, 5, 10, 48, 5, 4 << 20);
            default -> throw new IllegalArgumentException("bench.scale is full, small or many, not " + name);
        };
    }
}
