package io.distillguard.bench.detection;

import java.util.Arrays;

/** Rank statistics shared by the leak probe and the baselines. */
public final class Metrics {

  private Metrics() {}

  /**
   * Area under the ROC curve of {@code scores} for the positives (Mann-Whitney U with mid-ranks for
   * ties); 0.5 when either class is empty.
   */
  static double auc(double[] scores, boolean[] positive) {
    int n = scores.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    double[] rank = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double mid = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        rank[order[k]] = mid;
      }
      i = j + 1;
    }
    long pos = 0;
    double rankSum = 0;
    for (int k = 0; k < n; k++) {
      if (positive[k]) {
        pos++;
        rankSum += rank[k];
      }
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return 0.5;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /** The AUC of whichever orientation of the score is better: 0.5 = no separation, 1 = perfect. */
  static double separation(double[] scores, boolean[] positive) {
    double a = auc(scores, positive);
    return Math.max(a, 1 - a);
  }

  /** Balanced accuracy of the rule {@code score >= threshold} (or {@code <=} when not upward). */
  static double balancedAccuracy(
      double[] scores, boolean[] positive, double threshold, boolean upward) {
    int tp = 0;
    int p = 0;
    int tn = 0;
    int q = 0;
    for (int k = 0; k < scores.length; k++) {
      boolean flagged = upward ? scores[k] >= threshold : scores[k] <= threshold;
      if (positive[k]) {
        p++;
        tp += flagged ? 1 : 0;
      } else {
        q++;
        tn += flagged ? 0 : 1;
      }
    }
    double tpr = p == 0 ? 0 : (double) tp / p;
    double tnr = q == 0 ? 0 : (double) tn / q;
    return (tpr + tnr) / 2;
  }

  /** The threshold (and orientation) with the best balanced accuracy on these scores. */
  record Cut(double threshold, boolean upward, double balancedAccuracy) {}

  static Cut bestCut(double[] scores, boolean[] positive) {
    double[] candidates = scores.clone();
    Arrays.sort(candidates);
    Cut best = new Cut(Double.NaN, true, 0.5);
    for (double c : candidates) {
      for (boolean up : new boolean[] {true, false}) {
        double ba = balancedAccuracy(scores, positive, c, up);
        if (ba > best.balancedAccuracy()) {
          best = new Cut(c, up, ba);
        }
      }
    }
    return best;
  }

  /** The q-quantile (0..1) of the values, linear interpolation. */
  public static double quantile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    double pos = q * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }
}
