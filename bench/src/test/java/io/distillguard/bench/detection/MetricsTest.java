package io.distillguard.bench.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void aucCountsPairsAndHalvesTies() {
    boolean[] y = {false, false, true, true};
    assertThat(Metrics.auc(new double[] {1, 2, 3, 4}, y)).isEqualTo(1.0);
    assertThat(Metrics.auc(new double[] {4, 3, 2, 1}, y)).isEqualTo(0.0);
    assertThat(Metrics.auc(new double[] {1, 1, 1, 1}, y)).isEqualTo(0.5);
    // One positive ties one negative: 3 of 4 pairs ordered, one tied -> 3.5 / 4.
    assertThat(Metrics.auc(new double[] {1, 2, 2, 3}, y)).isCloseTo(0.875, within(1e-12));
    assertThat(Metrics.separation(new double[] {4, 3, 2, 1}, y)).isEqualTo(1.0);
  }

  @Test
  void bestCutFindsTheSeparatingThreshold() {
    boolean[] y = {false, false, false, true, true};
    Metrics.Cut cut = Metrics.bestCut(new double[] {0.1, 0.2, 0.3, 0.8, 0.9}, y);
    assertThat(cut.balancedAccuracy()).isEqualTo(1.0);
    assertThat(cut.upward()).isTrue();
    assertThat(cut.threshold()).isEqualTo(0.8);
    assertThat(Metrics.quantile(new double[] {3, 1, 2}, 0.5)).isEqualTo(2.0);
  }
}
