package io.distillguard.signals;

/**
 * Statistics of a category histogram ({@code K} known categories plus one slot for unknown ones)
 * against the distribution expected from the stated use. Pure functions; shared by the 24 h and the
 * off-stated-use signals.
 */
public final class CategoryStats {

  private CategoryStats() {}

  /** Normalised Shannon entropy (log base K) of {@code counts}, 0..1; 0 for an empty histogram. */
  static double normalisedEntropy(long[] counts, long n, int k) {
    if (n <= 0) {
      return 0.0;
    }
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        double p = c / (double) n;
        h -= p * Math.log(p);
      }
    }
    return Math.min(1.0, h / Math.log(k));
  }

  /** Known categories with at least {@code minCount} queries and {@code minShare} of n. */
  static int supported(long[] counts, long n, int k, int minCount, double minShare) {
    int supported = 0;
    for (int i = 0; i < k; i++) {
      if (counts[i] >= minCount && counts[i] >= minShare * n) {
        supported++;
      }
    }
    return supported;
  }

  /**
   * Whether each known category is unexpected for the stated use: expected share below {@code
   * belowUniform / K}. Null without a profile (or with an all-zero expectation).
   */
  public static boolean[] unexpected(float[] statedShares, int k, double belowUniform) {
    if (statedShares == null) {
      return null;
    }
    double total = 0;
    for (float s : statedShares) {
      total += Math.max(0f, s);
    }
    if (total <= 0) {
      return null;
    }
    boolean[] out = new boolean[k];
    double cutoff = belowUniform / k;
    for (int i = 0; i < k; i++) {
      out[i] = Math.max(0f, statedShares[i]) / total < cutoff;
    }
    return out;
  }

  /** Share of the histogram in unexpected categories; 0 without a profile. */
  static double unexpectedShare(boolean[] unexpected, long[] counts, long n) {
    if (unexpected == null || n == 0) {
      return 0.0;
    }
    long u = 0;
    for (int i = 0; i < unexpected.length; i++) {
      if (unexpected[i]) {
        u += counts[i];
      }
    }
    return u / (double) n;
  }

  /** Jensen-Shannon divergence (log base 2) between the histogram and the stated use's shares. */
  static double divergence(float[] statedShares, long[] counts, long n, int k) {
    if (statedShares == null || n == 0) {
      return 0.0;
    }
    double qTotal = 0;
    for (float s : statedShares) {
      qTotal += Math.max(0f, s);
    }
    if (qTotal <= 0) {
      return 0.0;
    }
    double js = 0;
    for (int i = 0; i <= k; i++) {
      double p = counts[i] / (double) n;
      double q = i < k ? Math.max(0f, statedShares[i]) / qTotal : 0.0;
      double m = (p + q) / 2;
      if (p > 0) {
        js += 0.5 * p * Math.log(p / m);
      }
      if (q > 0) {
        js += 0.5 * q * Math.log(q / m);
      }
    }
    return Math.max(0.0, Math.min(1.0, js / Math.log(2)));
  }
}
