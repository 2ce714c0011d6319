package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.signals.SignalSnapshot;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A campaign rule's {@code hold.evaluations} counts what an evaluation stands for: one evaluation
 * standing for the observations of a chunk fires a rule exactly when that many evaluations, one
 * after each observation, on the same signals would.
 */
class CampaignDeciderHoldTest {

  private static final CampaignPolicy POLICY =
      Policy.parse(
              """
              version: t1
              rules:
                - {name: r, level: WATCH, signal: coverage_entropy, threshold: 0.9}
              throttle: {ttl_minutes: 30, off_stated_use_share: 0.1, stated_use_min_share: 0.05, no_profile_share: 0.2}
              rearm_after_clear: {volume_factor: 2.0, min_new_queries: 10}
              campaign_rules:
                min_members: 2
                min_queries: 10
                rules:
                  - name: broad
                    level: REVIEW
                    hold: {evaluations: 3}
                    all_of:
                      - {signal: complementarity, op: ">=", threshold: 2}
              """,
              "t")
          .campaigns();

  private static SignalSnapshot signals(long atMillis, double complementarity) {
    return new SignalSnapshot(
        40,
        atMillis,
        Map.of(CampaignSignals.MEMBERS, 3.0, CampaignSignals.COMPLEMENTARITY, complementarity));
  }

  @Test
  void oneEvaluationForAChunkFiresAsOneAfterEachOfItsObservationsWould() {
    CampaignCase perObservation = new CampaignCase();
    CampaignDecider.evaluate(perObservation, POLICY, signals(1_000, 3));
    CampaignDecider.evaluate(perObservation, POLICY, signals(2_000, 3));
    assertThat(perObservation.level()).isEqualTo(Level.OK);
    CampaignDecider.evaluate(perObservation, POLICY, signals(3_000, 3));
    assertThat(perObservation.level()).isEqualTo(Level.REVIEW);

    CampaignCase smallChunks = new CampaignCase();
    CampaignDecider.evaluate(smallChunks, POLICY, signals(2_000, 3), 2);
    assertThat(smallChunks.level()).isEqualTo(Level.OK);
    assertThat(CampaignDecider.evaluate(smallChunks, POLICY, signals(3_000, 3), 1).level())
        .isEqualTo(Level.REVIEW);

    CampaignCase oneChunk = new CampaignCase();
    assertThat(CampaignDecider.evaluate(oneChunk, POLICY, signals(3_000, 3), 3).level())
        .isEqualTo(Level.REVIEW);
    assertThat(oneChunk.holdsSnapshot().get("broad")[0]).isEqualTo(3);
  }

  @Test
  void aChunkInWhichTheRuleStopsHoldingStartsTheCountAgain() {
    CampaignCase c = new CampaignCase();
    CampaignDecider.evaluate(c, POLICY, signals(1_000, 3), 2);
    CampaignDecider.evaluate(c, POLICY, signals(2_000, 1), 5);
    assertThat(c.holdsSnapshot()).doesNotContainKey("broad");
    CampaignDecider.evaluate(c, POLICY, signals(3_000, 3), 2);
    assertThat(c.level()).isEqualTo(Level.OK);
    assertThatThrownBy(() -> CampaignDecider.evaluate(c, POLICY, signals(4_000, 3), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
