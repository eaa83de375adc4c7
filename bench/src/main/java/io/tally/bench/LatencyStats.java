package io.tally.bench;

import java.util.Arrays;

/** Percentiles of a set of latencies, computed exactly by sorting (nearest-rank), in milliseconds. */
record LatencyStats(int count, double p50Millis, double p99Millis, double p999Millis, double maxMillis) {

    static final LatencyStats EMPTY = new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static LatencyStats ofNanos(long[] nanos, int count) {
        if (count == 0) {
            return EMPTY;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new LatencyStats(
                count,
                millis(percentile(sorted, 50.0)),
                millis(percentile(sorted, 99.0)),
                millis(percentile(sorted, 99.9)),
                millis(sorted[count - 1]));
    }

    private static long percentile(long[] sorted, double percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
