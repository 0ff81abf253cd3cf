package dev.porthole.bench;

import java.util.Arrays;

/** Percentiles of a set of durations measured in nanoseconds, answered in milliseconds. */
final class Stats {
    private final long[] sorted;

    Stats(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    /** Nearest-rank percentile, so p99 of 2,000 samples is the 1,980th: a real sample, not an interpolation. */
    double percentileMillis(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    double maxMillis() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
    }
}
