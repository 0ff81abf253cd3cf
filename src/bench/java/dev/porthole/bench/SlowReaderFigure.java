package dev.porthole.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that stops reading while {@code yes} writes without pause. Porthole's promise: the relay blocks in its
 * send, stops reading the engine, and so holds at most one read buffer; once the client reads again every line is
 * intact and the shell answers.
 */
final class SlowReaderFigure {
    static final String LINE = "0123456789";

    /** What happened: heap growth over the pause (after full GCs), backlog drained, damage seen, time to recover. */
    record Result(long heapGrowthKiB, long rssGrowthKiB, long backlogBytes, long corruptLines, double recoverSeconds) {
    }

    private SlowReaderFigure() {
    }

    /** {@code probe} may be null (the direct path has no server to read). */
    static Result measure(BenchTerminal t, int seconds, ServerProbe probe) throws Exception {
        Output out = t.output();
        LineCheck check = new LineCheck();
        out.tap(check);
        out.expect(LINE + "\r\n" + LINE + "\r\n" + LINE);
        t.type("yes " + LINE + "\n");
        out.await(Duration.ofSeconds(10));
        ServerProbe.Snapshot before = probe == null ? null : probe.snapshot();
        t.pause();
        List<ServerProbe.Snapshot> during = new ArrayList<>();
        long pausedUntil = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < pausedUntil) {
            Thread.sleep(Math.min(seconds * 1000L / 3, Math.max(1, (pausedUntil - System.nanoTime()) / 1_000_000)));
            if (probe != null) {
                during.add(probe.snapshot());
            }
        }
        long beforeResume = out.total();
        out.expect("E5X");
        t.type("\u0003");
        t.type("echo E$((2+3))X\n");
        long resumed = System.nanoTime();
        t.resume();
        long arrived = out.await(Duration.ofSeconds(120));
        out.tap(null);
        long heapGrowth = 0;
        long rssGrowth = 0;
        for (ServerProbe.Snapshot s : during) {
            heapGrowth = Math.max(heapGrowth, s.heapKiB() - before.heapKiB());
            rssGrowth = Math.max(rssGrowth, s.rssKiB() - before.rssKiB());
        }
        out.awaitFromStart("# ", Duration.ofSeconds(10));
        return new Result(heapGrowth, rssGrowth, out.total() - beforeResume, check.corrupt(), (arrived - resumed) / 1e9);
    }

    /** Counts lines made only of digits that are not the line {@code yes} prints: bytes lost or doubled. */
    private static final class LineCheck implements java.util.function.Consumer<CharSequence> {
        private final StringBuilder line = new StringBuilder();
        private long corrupt;

        @Override
        public void accept(CharSequence text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n') {
                    if (onlyDigits() && !LINE.contentEquals(line)) {
                        corrupt++;
                    }
                    line.setLength(0);
                } else if (c != '\r' && line.length() < 200) {
                    line.append(c);
                }
            }
        }

        /** A plain loop, not a regex: this runs for every line of a stream of millions. */
        private boolean onlyDigits() {
            for (int i = 0; i < line.length(); i++) {
                if (!Character.isDigit(line.charAt(i))) {
                    return false;
                }
            }
            return line.length() > 0;
        }

        long corrupt() {
            return corrupt;
        }
    }
}
