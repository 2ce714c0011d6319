package io.distillguard.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.signals.Signals;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sequential score's REVIEW threshold in traffic shaped like a sweep ({@code
 * evidence-off-stated-use}, a score of 25 since policy 2026-12-02.1), on real prompts: the first
 * 460 queries of a week-long slow sweep of the benchmark's tune split (5-20 queries an hour), and
 * the two legitimate accounts of that split whose traffic meets the sweep's shape with the highest
 * score without any other REVIEW rule firing: a domain app (109 queries, score 18.9 at most while
 * in the shape) and a general assistant with a broad stated use (458 queries, 18.6). Written by the
 * bench's {@code ScenarioSampleExport} from payload observations ({@code
 * scenarios/tune-evidence-threshold.tsv}).
 */
class EvidenceThresholdScenarioTest {

  private static ScenarioFile file;

  @BeforeAll
  static void load() throws IOException {
    file = ScenarioFile.load("scenarios/tune-evidence-threshold.tsv");
  }

  /** First REVIEW query (-1: never), the rules behind it, and the highest level. */
  record Outcome(long firstReview, java.util.Set<String> reviewRules, Level highest) {}

  private static Outcome run(String kind) {
    ScenarioFile.Account account =
        file.accounts.stream().filter(a -> a.kind().equals(kind)).findFirst().orElseThrow();
    Policy policy = Policy.loadDefault();
    AccountDetector detector = new AccountDetector(() -> policy, file.categories);
    DetectionState state = detector.newState();
    long first = -1;
    java.util.Set<String> rules = new java.util.TreeSet<>();
    Level highest = Level.OK;
    for (AccountObservation o : account.observations()) {
      Evaluation e = detector.observe(state, o);
      if (e.level().isAbove(highest)) {
        highest = e.level();
      }
      if (first < 0 && e.level().isAbove(Level.WATCH)) {
        first = state.queriesObserved();
        e.decision().reasons().forEach(r -> rules.add(r.rule()));
      }
    }
    return new Outcome(first, rules, highest);
  }

  @Test
  void weekLongSlowSweepIsReviewedWithinItsFirstHundredQueriesOnTheSequentialScore() {
    Outcome o = run("WEEK_LONG_SLOW_SWEEP");

    // 140 queries under a score of 30: outside max(100 queries, 5% of its 2,741).
    assertThat(o.firstReview()).isBetween(40L, 100L);
    assertThat(o.reviewRules()).contains("evidence-off-stated-use");
  }

  @Test
  void legitimateAccountsInTheSweepShapeStayBelowReview() {
    for (String kind : java.util.List.of("DOMAIN_APP", "GENERAL_ASSISTANT")) {
      assertThat(run(kind).highest()).as(kind).isIn(Level.OK, Level.WATCH);
    }
  }

  @Test
  void theThresholdKeepsAMarginOverTheLegitimateScoresInTheShape() {
    double threshold = reviewThreshold();
    Policy policy = Policy.loadDefault();
    for (String kind : java.util.List.of("DOMAIN_APP", "GENERAL_ASSISTANT")) {
      ScenarioFile.Account account =
          file.accounts.stream().filter(a -> a.kind().equals(kind)).findFirst().orElseThrow();
      AccountDetector detector = new AccountDetector(() -> policy, file.categories);
      DetectionState state = detector.newState();
      double highest = 0;
      for (AccountObservation o : account.observations()) {
        Evaluation e = detector.observe(state, o);
        if (inSweepShape(e)) {
          highest = Math.max(highest, e.signals().get(Signals.EVIDENCE_SCORE));
        }
      }
      assertThat(highest).as(kind).isGreaterThan(15.0).isLessThan(threshold / 1.3);
    }
  }

  /** The score threshold the rule reported when it reviewed the week-long sweep. */
  private static double reviewThreshold() {
    ScenarioFile.Account sweep =
        file.accounts.stream()
            .filter(a -> a.kind().equals("WEEK_LONG_SLOW_SWEEP"))
            .findFirst()
            .orElseThrow();
    Policy policy = Policy.loadDefault();
    AccountDetector detector = new AccountDetector(() -> policy, file.categories);
    DetectionState state = detector.newState();
    for (AccountObservation o : sweep.observations()) {
      for (io.distillguard.policy.Reason r : detector.observe(state, o).decision().reasons()) {
        if (r.rule().equals("evidence-off-stated-use")
            && r.signal().equals(Signals.EVIDENCE_SCORE)) {
          return r.threshold();
        }
      }
    }
    throw new AssertionError("evidence-off-stated-use never fired");
  }

  /** The rule's conditions other than the score (policy 2026-12-02.1). */
  private static boolean inSweepShape(Evaluation e) {
    return e.signals().get(Signals.COVERAGE_ENTROPY) >= 0.60
        && e.signals().get(Signals.DISTINCT_CATEGORIES) >= 6
        && e.signals().get(Signals.UNEXPECTED_CATEGORY_SHARE) >= 0.65
        && e.signals().get(Signals.OFF_STATED_USE_SHARE) >= 0.50
        && e.signals().queriesObserved() >= 40;
  }
}
