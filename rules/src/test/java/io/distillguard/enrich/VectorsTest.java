package io.distillguard.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
}
