package io.distillguard.bench.latency;

import java.util.Collection;
import java.util.function.ToDoubleFunction;

/** Nearest-rank percentiles of a sample (p50, p99, max), NaN when empty. */
public record Percentiles(int n, double p50, double p99, double max) {

  /** Summarises {@code f} over {@code items}. */
  public static <T> Percentiles of(Collection<T> items, ToDoubleFunction<T> f) {
    double[] v = items.stream().mapToDouble(f).sorted().toArray();
    return new Percentiles(v.length, rank(v, 0.50), rank(v, 0.99), rank(v, 1.0));
  }

  /** Nearest rank: the smallest value with at least {@code q} of the sample at or below it. */
  static double rank(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
