package io.distillguard.bench.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselineDetectorsTest {

  private static float[] unit(double[] v) {
    double n = 0;
    for (double x : v) {
      n += x * x;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(n));
    }
    return out;
  }

  /** Points scattered around a few centres: an app's clustered prompts. */
  private static List<float[]> clustered(Random rng, int n, int dim, int centres, double spread) {
    List<double[]> c = new ArrayList<>();
    for (int k = 0; k < centres; k++) {
      double[] v = new double[dim];
      for (int d = 0; d < dim; d++) {
        v[d] = rng.nextGaussian();
      }
      c.add(v);
    }
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] base = c.get(rng.nextInt(centres));
      double[] v = new double[dim];
      for (int d = 0; d < dim; d++) {
        v[d] = base[d] + spread * rng.nextGaussian();
      }
      out.add(unit(v));
    }
    return out;
  }

  @Test
  void mmdIsLowForTrafficLikeTheReferenceAndHighForAShiftedOne() {
    Random rng = new Random(3);
    List<float[]> benign = clustered(new Random(11), 600, 32, 4, 0.6);
    MmdDetector mmd = new MmdDetector(benign.subList(0, 300), 300, 100, 50, 1);
    List<float[]> likeBenign = benign.subList(300, 500);
    List<float[]> shifted = clustered(rng, 200, 32, 4, 0.6);
    List<Trajectory> t = mmd.run(Map.of("benign", likeBenign, "other", shifted));
    Trajectory b = t.stream().filter(x -> x.accountId().equals("benign")).findFirst().orElseThrow();
    Trajectory o = t.stream().filter(x -> x.accountId().equals("other")).findFirst().orElseThrow();
    assertThat(b.at()).containsExactly(50, 100, 150, 200);
    assertThat(o.max()).isGreaterThan(5 * Math.max(1e-4, b.max()));
  }

  @Test
  void pradaSeesNonNormalDistancesInAClusteredStreamWithRepeats() {
    Random rng = new Random(5);
    // A sweep of independent random directions gives near-constant, bell-shaped min distances;
    // an app that mostly repeats a few requests gives a spike at zero plus a tail.
    List<float[]> sweep = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sweep.add(clustered(rng, 1, 64, 1, 0.0).get(0));
    }
    List<float[]> app = new ArrayList<>();
    List<float[]> seen = clustered(rng, 20, 64, 20, 0.0);
    for (int i = 0; i < 300; i++) {
      app.add(
          rng.nextDouble() < 0.6
              ? seen.get(rng.nextInt(seen.size()))
              : clustered(rng, 1, 64, 1, 0.0).get(0));
    }
    Trajectory s = PradaDetector.account("sweep", sweep);
    Trajectory a = PradaDetector.account("app", app);
    assertThat(s.at()[0]).isEqualTo(40);
    double sweepW = 1 - s.stat()[s.stat().length - 1];
    double appW = 1 - a.stat()[a.stat().length - 1];
    assertThat(sweepW).isGreaterThan(0.95);
    assertThat(appW).isLessThan(0.8);
  }
}
