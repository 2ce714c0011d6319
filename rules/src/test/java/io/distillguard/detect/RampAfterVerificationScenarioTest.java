package io.distillguard.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ramps after verification and the templated batch pipelines that share their rate, from real
 * prompts: the first 160 queries of four ramps and two batch pipelines of the benchmark's tune
 * split ({@code scenarios/tune-ramps.tsv}, written by the bench's {@code ScenarioSampleExport} from
 * payload observations), through the shipped default policy.
 */
class RampAfterVerificationScenarioTest {

  private static final String RULE = "ramp-after-verification";

  private static ScenarioFile file;

  @BeforeAll
  static void load() throws IOException {
    file = ScenarioFile.load("scenarios/tune-ramps.tsv");
  }

  /** First REVIEW query (-1: never), the REVIEW rules behind it, highest level, every rule. */
  record Outcome(long firstReview, Set<String> firstRules, Level highest, Set<String> rules) {}

  private static Outcome run(ScenarioFile.Account account) {
    Policy policy = Policy.loadDefault();
    Set<String> reviewRules = new TreeSet<>();
    policy.rules().stream()
        .filter(r -> r.level().isAbove(Level.WATCH))
        .forEach(r -> reviewRules.add(r.name()));
    AccountDetector detector = new AccountDetector(() -> policy, file.categories);
    DetectionState state = detector.newState();
    long first = -1;
    Set<String> firstRules = new TreeSet<>();
    Level highest = Level.OK;
    Set<String> rules = new TreeSet<>();
    for (AccountObservation o : account.observations()) {
      Evaluation e = detector.observe(state, o);
      e.decision().reasons().forEach(r -> rules.add(r.rule()));
      if (e.level().isAbove(highest)) {
        highest = e.level();
      }
      if (first < 0 && e.level().isAbove(Level.WATCH)) {
        first = state.queriesObserved();
        e.decision().reasons().stream()
            .map(r -> r.rule())
            .filter(reviewRules::contains)
            .forEach(firstRules::add);
      }
    }
    return new Outcome(first, firstRules, highest, rules);
  }

  private static List<ScenarioFile.Account> ofKind(String kind) {
    return file.accounts.stream().filter(a -> a.kind().equals(kind)).toList();
  }

  @Test
  void rampsAreReviewedOnTheirLastMinutesWithinTheirFirstHundredQueries() {
    // Read over the last hour's queries (rate_per_hour >= 100) and the day's entropy, which still
    // holds the quiet in-domain days, the rule could not hold before the 100th query after
    // verification: three of these four were reviewed at 101, 109 and 122 by the day's sweep rules
    // under policy 2026-12-02.1.
    List<ScenarioFile.Account> ramps = ofKind("RAMP_AFTER_VERIFICATION");
    assertThat(ramps).hasSize(4);
    for (ScenarioFile.Account a : ramps) {
      Outcome o = run(a);
      assertThat(o.firstReview()).as(a.id()).isBetween(40L, 100L);
      assertThat(o.rules()).as(a.id()).contains(RULE);
    }
    long byTheRule =
        ramps.stream()
            .map(RampAfterVerificationScenarioTest::run)
            .filter(o -> o.firstRules().contains(RULE))
            .count();
    assertThat(byTheRule).isGreaterThanOrEqualTo(3);
  }

  @Test
  void batchPipelinesAtMachineRateWithNoQuietDaysBeforeVerificationStayBelowReview() {
    List<ScenarioFile.Account> pipelines = ofKind("BATCH_PIPELINE");
    assertThat(pipelines).hasSize(2);
    for (ScenarioFile.Account a : pipelines) {
      assertThat(a.observations().get(0).verifiedAtMillis()).as(a.id()).isNotNull();
      Outcome o = run(a);
      assertThat(o.highest()).as(a.id()).isIn(Level.OK, Level.WATCH);
      assertThat(o.rules()).as(a.id()).doesNotContain(RULE);
    }
  }
}
