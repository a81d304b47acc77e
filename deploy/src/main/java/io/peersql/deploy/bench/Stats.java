package io.peersql.deploy.bench;

import java.util.Arrays;

/** Order statistics over measured latencies (nanoseconds). */
final class Stats {

  private Stats() {
  }

  /** The value at quantile {@code q} (0..1) of {@code nanos}, nearest rank, in milliseconds. */
  static double millisAt(long[] nanos, double q) {
    if (nanos.length == 0) {
      return Double.NaN;
    }
    var sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
  }

  /** The geometric mean of positive values. */
  static double geometricMean(double[] values) {
    double logSum = 0;
    for (double value : values) {
      logSum += Math.log(value);
    }
    return Math.exp(logSum / values.length);
  }
}
