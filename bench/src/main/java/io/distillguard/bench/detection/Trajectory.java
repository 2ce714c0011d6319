package io.distillguard.bench.detection;

/**
 * How suspicious a baseline detector found one account as its queries arrived: at the {@code
 * at[i]}-th query (1-based) the statistic was {@code stat[i]}; higher is more suspicious.
 */
public record Trajectory(String accountId, int[] at, double[] stat) {

  /** The highest statistic the account reached; negative infinity when never evaluated. */
  public double max() {
    double m = Double.NEGATIVE_INFINITY;
    for (double s : stat) {
      m = Math.max(m, s);
    }
    return m;
  }

  /** The query count at which the statistic first exceeded the threshold, or -1. */
  public int firstAbove(double threshold) {
    for (int i = 0; i < stat.length; i++) {
      if (stat[i] > threshold) {
        return at[i];
      }
    }
    return -1;
  }
}
