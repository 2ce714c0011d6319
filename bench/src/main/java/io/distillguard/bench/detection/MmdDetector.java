package io.distillguard.bench.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The windowed MMD baseline (arXiv 2606.05725) per account: the squared maximum mean discrepancy,
 * RBF kernel with the median-distance bandwidth of the reference, between the account's last {@code
 * window} queries and a fixed sample of benign queries; evaluated every {@code step} queries from
 * the account's {@code step}-th query on (a partial window until the account has a full one). The
 * paper uses 1,500-query windows; most accounts here send far fewer queries, so the benchmark uses
 * 100-query windows evaluated every 50, and calibrates the threshold on the tune split instead of
 * running a permutation test per window.
 */
public final class MmdDetector {

  private final float[][] reference;
  private final double gamma;
  private final double referenceSelf;
  private final int window;
  private final int step;

  /**
   * @param benignReference benign query embeddings (a random sample is kept)
   * @param referenceSize how many to keep
   * @param window queries per window
   * @param step queries between evaluations
   * @param seed for the reference sample
   */
  public MmdDetector(
      List<float[]> benignReference, int referenceSize, int window, int step, long seed) {
    if (benignReference.size() < 2) {
      throw new IllegalArgumentException("the reference needs at least two vectors");
    }
    List<float[]> shuffled = new ArrayList<>(benignReference);
    java.util.Collections.shuffle(shuffled, new Random(seed));
    this.reference =
        shuffled.subList(0, Math.min(referenceSize, shuffled.size())).toArray(new float[0][]);
    this.window = window;
    this.step = step;
    List<Double> sq = new ArrayList<>();
    for (int i = 0; i < reference.length; i++) {
      for (int j = i + 1; j < reference.length; j++) {
        sq.add(squaredDistance(reference[i], reference[j]));
      }
    }
    double median = Metrics.quantile(sq.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
    this.gamma = 1 / Math.max(1e-6, median);
    double s = 0;
    for (int i = 0; i < reference.length; i++) {
      for (int j = 0; j < reference.length; j++) {
        if (i != j) {
          s += kernel(reference[i], reference[j]);
        }
      }
    }
    this.referenceSelf = s / ((double) reference.length * (reference.length - 1));
  }

  /** The trajectory of every account; vectors in event-time order. */
  public List<Trajectory> run(Map<String, List<float[]>> accounts) {
    List<Trajectory> out = new ArrayList<>(accounts.size());
    accounts.forEach((id, vectors) -> out.add(account(id, vectors)));
    return out;
  }

  Trajectory account(String id, List<float[]> vectors) {
    List<Integer> at = new ArrayList<>();
    List<Double> stat = new ArrayList<>();
    // Each query's mean kernel value against the reference, computed once for every window it is
    // part of.
    double[] toReference = new double[vectors.size()];
    for (int i = 0; i < toReference.length; i++) {
      toReference[i] = meanToReference(vectors.get(i));
    }
    for (int end = step; end <= vectors.size(); end += step) {
      int from = Math.max(0, end - window);
      double xy = 0;
      for (int i = from; i < end; i++) {
        xy += toReference[i];
      }
      at.add(end);
      stat.add(withinWindow(vectors.subList(from, end)) + referenceSelf - 2 * xy / (end - from));
    }
    return new Trajectory(
        id,
        at.stream().mapToInt(Integer::intValue).toArray(),
        stat.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Squared MMD of a window against the reference (unbiased within-window term). */
  double mmd2(List<float[]> x) {
    double xy = 0;
    for (float[] a : x) {
      xy += meanToReference(a);
    }
    return withinWindow(x) + referenceSelf - 2 * xy / x.size();
  }

  private double withinWindow(List<float[]> x) {
    int m = x.size();
    double xx = 0;
    for (int i = 0; i < m; i++) {
      for (int j = i + 1; j < m; j++) {
        xx += 2 * kernel(x.get(i), x.get(j));
      }
    }
    return xx / ((double) m * (m - 1));
  }

  private double meanToReference(float[] a) {
    double s = 0;
    for (float[] b : reference) {
      s += kernel(a, b);
    }
    return s / reference.length;
  }

  private double kernel(float[] a, float[] b) {
    return Math.exp(-gamma * squaredDistance(a, b));
  }

  private static double squaredDistance(float[] a, float[] b) {
    double dot = 0;
    for (int k = 0; k < a.length; k++) {
      dot += a[k] * b[k];
    }
    return Math.max(0, 2 - 2 * dot);
  }
}
