package io.distillguard.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorMathTest {

  @Test
  void dotProductsEightRowsAtATimeAreBitForBitTheSingleOnes() {
    Random random = new Random(7);
    for (int rows : new int[] {1, 3, 7, 8, 9, 26, 64, 65}) {
      float[][] m = new float[rows][];
      for (int r = 0; r < rows; r++) {
        m[r] = gaussian(random, 384);
      }
      float[] a = gaussian(random, 384);
      double[] together = VectorMath.dots(VectorMath.toDouble(a), VectorMath.widened(m));
      for (int r = 0; r < rows; r++) {
        assertThat(Double.doubleToRawLongBits(together[r]))
            .as("row %d of %d", r, rows)
            .isEqualTo(Double.doubleToRawLongBits(VectorMath.dot(a, m[r])));
      }
    }
  }

  @Test
  void argmaxTakesTheFirstOfEqualValues() {
    assertThat(VectorMath.argmax(new float[] {0.2f, 0.7f, 0.7f, -1f})).isEqualTo(1);
  }

  @Test
  void normalisingFloatsIsNormalisingTheirWidenedValues() {
    Random random = new Random(11);
    for (int i = 0; i < 1_000; i++) {
      float[] v = gaussian(random, 384);
      float[] direct = VectorMath.normalised(v);
      float[] widened = VectorMath.normalised(VectorMath.toDouble(v));
      for (int d = 0; d < v.length; d++) {
        assertThat(Float.floatToRawIntBits(direct[d]))
            .isEqualTo(Float.floatToRawIntBits(widened[d]));
      }
    }
    assertThat(VectorMath.normalised(new float[3])).containsExactly(0f, 0f, 0f);
  }

  private static float[] gaussian(Random random, int dim) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return v;
  }
}
