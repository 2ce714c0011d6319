package io.distillguard.bench.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ShapiroWilkTest {

  @Test
  void coefficientsMatchTheShapiroWilkTableForSmallSamples() {
    // Shapiro & Wilk (1965), table 5: n = 5 -> a5 = 0.6646, a4 = 0.2413; n = 3 -> 0.7071.
    double[] a5 = ShapiroWilk.coefficients(5);
    assertThat(a5[4]).isCloseTo(0.6646, within(0.002));
    assertThat(a5[3]).isCloseTo(0.2413, within(0.002));
    assertThat(a5[0]).isCloseTo(-a5[4], within(1e-12));
    assertThat(ShapiroWilk.coefficients(3)[2]).isCloseTo(0.7071, within(1e-4));
    // n = 10: a10 = 0.5739, a9 = 0.3291.
    double[] a10 = ShapiroWilk.coefficients(10);
    assertThat(a10[9]).isCloseTo(0.5739, within(0.002));
    assertThat(a10[8]).isCloseTo(0.3291, within(0.002));
  }

  @Test
  void normalSamplesLookNormalAndSkewedOnesDoNot() {
    Random rng = new Random(7);
    double[] normal = new double[300];
    double[] exponential = new double[300];
    for (int i = 0; i < normal.length; i++) {
      normal[i] = rng.nextGaussian();
      exponential[i] = -Math.log(1 - rng.nextDouble());
    }
    double wNormal = ShapiroWilk.w(normal);
    double wExp = ShapiroWilk.w(exponential);
    assertThat(wNormal).isGreaterThan(0.98);
    assertThat(ShapiroWilk.pValue(wNormal, normal.length)).isGreaterThan(0.01);
    assertThat(wExp).isLessThan(0.92);
    assertThat(ShapiroWilk.pValue(wExp, exponential.length)).isLessThan(1e-6);
  }

  @Test
  void normalQuantilesAndCdfAreInverse() {
    assertThat(ShapiroWilk.inverseNormalCdf(0.975)).isCloseTo(1.959964, within(1e-5));
    assertThat(ShapiroWilk.normalCdf(1.959964)).isCloseTo(0.975, within(1e-6));
    assertThat(ShapiroWilk.normalCdf(-1.0)).isCloseTo(0.158655, within(1e-6));
  }
}
