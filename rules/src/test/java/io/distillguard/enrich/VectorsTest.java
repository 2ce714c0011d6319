package io.distillguard.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorsTest {

  @Test
  void cosineOfTheAngleBetweenTwoVectors() {
    assertThat(Vectors.cosine(new float[] {1, 0}, new float[] {3, 0})).isEqualTo(1.0);
    assertThat(Vectors.cosine(new float[] {1, 0}, new float[] {0, 2})).isEqualTo(0.0);
    assertThat(Vectors.cosine(new float[] {1, 1}, new float[] {1, 0}))
        .isCloseTo(Math.sqrt(0.5), within(1e-12));
    assertThat(Vectors.cosine(new float[] {1, 0}, new float[] {-1, 0})).isEqualTo(-1.0);
  }

  @Test
  void aZeroVectorHasNoDirection() {
    assertThat(Vectors.cosine(new float[] {0, 0}, new float[] {1, 2})).isZero();
  }

  @Test
  void vectorsOfDifferentDimensionsAreRefused() {
    assertThatThrownBy(() -> Vectors.cosine(new float[2], new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 and 3");
  }

  @Test
  void dotProductsWithEveryRowAtOnceAreBitForBitTheSingleOnes() {
    Random random = new Random(7);
    // Enough rounds for the JIT to compile the vectorised loop, the sizes around its lane counts.
    for (int round = 0; round < 400; round++) {
      int rows = new int[] {1, 3, 7, 8, 9, 26, 64, 65}[round % 8];
      float[][] m = new float[rows][];
      for (int r = 0; r < rows; r++) {
        m[r] = gaussian(random, 384);
      }
      float[] a = gaussian(random, 384);
      double[] together = WideRows.of(m).dots(a);
      for (int r = 0; r < rows; r++) {
        assertThat(Double.doubleToRawLongBits(together[r]))
            .as("row %d of %d", r, rows)
            .isEqualTo(Double.doubleToRawLongBits(Vectors.dot(a, m[r])));
      }
    }
  }

  @Test
  void argmaxTakesTheFirstOfEqualValues() {
    assertThat(Vectors.argmax(new float[] {0.2f, 0.7f, 0.7f, -1f})).isEqualTo(1);
  }

  @Test
  void normalisingFloatsIsNormalisingTheirWidenedValues() {
    Random random = new Random(11);
    for (int i = 0; i < 1_000; i++) {
      float[] v = gaussian(random, 384);
      float[] direct = Vectors.normalised(v);
      double[] wide = new double[v.length];
      for (int d = 0; d < v.length; d++) {
        wide[d] = v[d];
      }
      float[] widened = Vectors.normalised(wide);
      for (int d = 0; d < v.length; d++) {
        assertThat(Float.floatToRawIntBits(direct[d]))
            .isEqualTo(Float.floatToRawIntBits(widened[d]));
      }
    }
    assertThat(Vectors.normalised(new float[3])).containsExactly(0f, 0f, 0f);
  }

  private static float[] gaussian(Random random, int dim) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return v;
  }
}
