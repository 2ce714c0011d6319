package io.distillguard.bench.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectionScorerTest {

  private static AccountLabel label(String id, AccountKind kind, String swarm, int queries) {
    return new AccountLabel(id, kind, swarm, queries, "use");
  }

  @Test
  void ratesBudgetsAndSwarmsComeFromTheFirstFlag() {
    List<AccountLabel> labels =
        List.of(
            label("a", AccountKind.DOMAIN_APP, null, 100),
            label("b", AccountKind.DOMAIN_APP, null, 100),
            label("c", AccountKind.BATCH_PIPELINE, null, 500),
            label("d", AccountKind.FAST_SWEEP, null, 4000),
            label("e", AccountKind.FAST_SWEEP, null, 1000),
            label("f", AccountKind.SWARM_BROAD, "s1", 300),
            label("g", AccountKind.SWARM_BROAD, "s1", 300));
    // d within 5% of 4000 (200), e past max(100, 50); b is a false positive; f one swarm member.
    DetectionScorer.Score s =
        DetectionScorer.score("x", labels, Map.of("b", 60L, "d", 180L, "e", 400L, "f", 120L));
    assertThat(s.falsePositiveRate()).isCloseTo(1 / 3.0, within(1e-9));
    assertThat(s.ordinaryFalsePositiveRate()).isEqualTo(0.5);
    assertThat(s.hardNegativeFalsePositiveRate()).isEqualTo(0.0);
    assertThat(s.singleCampaignDetectionRate()).isEqualTo(1.0);
    assertThat(s.singleCampaignWithinBudgetRate()).isEqualTo(0.5);
    assertThat(s.swarmAccountRate()).isEqualTo(0.5);
    DetectionScorer.KindRow sweeps =
        s.kinds().stream()
            .filter(r -> r.kind() == AccountKind.FAST_SWEEP)
            .findFirst()
            .orElseThrow();
    assertThat(sweeps.medianQueriesBeforeFlag()).isEqualTo(290.0);
    assertThat(sweeps.medianShareBeforeFlag()).isCloseTo((0.045 + 0.4) / 2, within(1e-9));
    assertThat(s.swarms())
        .singleElement()
        .satisfies(
            sw -> {
              assertThat(sw.members()).isEqualTo(2);
              assertThat(sw.flagged()).isEqualTo(1);
            });
  }

  @Test
  void baselineFlagsAtTheFirstEvaluationAboveTheThreshold() {
    Trajectory t = new Trajectory("a", new int[] {50, 100, 150}, new double[] {0.1, 0.5, 0.9});
    assertThat(DetectionScorer.flaggedAt(List.of(t), 0.4)).containsEntry("a", 100L);
    assertThat(DetectionScorer.flaggedAt(List.of(t), 0.95)).isEmpty();
    assertThat(t.max()).isEqualTo(0.9);
  }
}
