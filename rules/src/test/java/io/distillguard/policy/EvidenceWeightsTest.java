package io.distillguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.signals.EventTimeSettings;
import io.distillguard.signals.QueryFeatures;
import org.junit.jupiter.api.Test;

class EvidenceWeightsTest {

  private static String withSections(String sections) {
    return PolicyTest.policy("  - {name: r, level: WATCH, signal: evidence_score, threshold: 5}\n")
        + sections;
  }

  @Test
  void theShippedDefaultCarriesCalibratedWeightsAndTheEventTimeSettings() {
    Policy p = Policy.loadDefault();
    EvidenceWeights w = p.evidence();
    assertThat(w.calibration()).contains("tune split");
    // A broad, off-use query in an unexplained rare category is evidence of a campaign; an
    // in-domain query in a habitual category is evidence against.
    int sweepLike =
        QueryFeatures.OFF_STATED_USE
            | QueryFeatures.UNEXPECTED_CATEGORY
            | QueryFeatures.RARE_CATEGORY;
    assertThat(w.weight(sweepLike)).isGreaterThan(1.0);
    assertThat(w.weight(0)).isLessThan(0.0);
    assertThat(p.eventTime()).isEqualTo(EventTimeSettings.DEFAULT);
  }

  @Test
  void weightsAreReadByCombinationNameAndTheRestTakeTheDefault() {
    Policy p =
        Policy.parse(
            withSections(
                """
                evidence:
                  calibration: hand-made
                  default_weight: -0.5
                  weights:
                    "rare_category+off_stated_use": 2.5
                    none: -1
                event_time: {allowed_lateness_minutes: 30, max_jump_minutes: 5}
                """),
            "t");
    EvidenceWeights w = p.evidence();
    assertThat(w.weight(QueryFeatures.OFF_STATED_USE | QueryFeatures.RARE_CATEGORY)).isEqualTo(2.5);
    assertThat(w.weight(0)).isEqualTo(-1.0);
    assertThat(w.weight(QueryFeatures.NEW_CELL)).isEqualTo(-0.5);
    assertThat(p.eventTime()).isEqualTo(new EventTimeSettings(30 * 60_000L, 5 * 60_000L));
  }

  @Test
  void withoutAnEvidenceSectionTheScoreStaysAtZero() {
    Policy p = Policy.parse(withSections(""), "t");
    assertThat(p.evidence()).isEqualTo(EvidenceWeights.NONE);
    assertThat(p.evidence().weight(QueryFeatures.OFF_STATED_USE)).isEqualTo(0.0);
  }

  @Test
  void mistakesInTheEvidenceSectionAreRejectedWithTheirPath() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    withSections(
                        "evidence: {calibration: x, weights: {\"off_stated_use+typo\": 1}}\n"),
                    "t"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("$.evidence.weights")
        .hasMessageContaining("typo");
    assertThatThrownBy(() -> Policy.parse(withSections("evidence: {weights: {none: 1}}\n"), "t"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("$.evidence.calibration");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    withSections("evidence: {calibration: x, weights: {none: 99}}\n"), "t"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("-20..20");
  }
}
