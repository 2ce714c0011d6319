package io.distillguard.bench.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The PRADA baseline (Juuti et al. 2019) adapted to text embeddings, per account: each new query's
 * minimum L2 distance to the account's earlier queries (its growing set, the most recent {@link
 * #MAX_HISTORY}) joins the account's distance sample; the Shapiro-Wilk W of that sample is tested
 * every {@link #EVERY} queries once it holds {@link #MIN_DISTANCES}, and the account is flagged
 * when W falls below a threshold delta. The statistic reported is {@code 1 - W}.
 */
public final class PradaDetector {

  /** Distances needed before the first normality test. */
  public static final int MIN_DISTANCES = 30;

  /** Test every this many queries. */
  public static final int EVERY = 10;

  /** Earlier queries kept per account for the minimum distance (bounds the cost). */
  public static final int MAX_HISTORY = 1000;

  /** Distances kept per account for the test (Royston's W holds to 5,000). */
  public static final int MAX_DISTANCES = 2000;

  private PradaDetector() {}

  /** The trajectory of every account; vectors are L2-normalised, in event-time order. */
  public static List<Trajectory> run(Map<String, List<float[]>> accounts) {
    List<Trajectory> out = new ArrayList<>(accounts.size());
    accounts.forEach((id, vectors) -> out.add(account(id, vectors)));
    return out;
  }

  static Trajectory account(String id, List<float[]> vectors) {
    List<Double> distances = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    List<Double> stat = new ArrayList<>();
    for (int i = 1; i < vectors.size(); i++) {
      float[] x = vectors.get(i);
      double best = Double.MAX_VALUE;
      for (int j = Math.max(0, i - MAX_HISTORY); j < i; j++) {
        best = Math.min(best, distance(x, vectors.get(j)));
      }
      distances.add(best);
      if (distances.size() > MAX_DISTANCES) {
        distances.remove(0);
      }
      int queries = i + 1;
      if (distances.size() >= MIN_DISTANCES && queries % EVERY == 0) {
        double[] d = distances.stream().mapToDouble(Double::doubleValue).toArray();
        at.add(queries);
        stat.add(1 - ShapiroWilk.w(d));
      }
    }
    return new Trajectory(
        id,
        at.stream().mapToInt(Integer::intValue).toArray(),
        stat.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** L2 distance of two unit vectors. */
  static double distance(float[] a, float[] b) {
    double dot = 0;
    for (int k = 0; k < a.length; k++) {
      dot += a[k] * b[k];
    }
    return Math.sqrt(Math.max(0, 2 - 2 * dot));
  }
}
