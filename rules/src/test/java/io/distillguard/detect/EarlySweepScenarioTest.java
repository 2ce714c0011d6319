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
 * Sweeps the shipped policy reviews within their first hundred queries since policy 2026-12-02.3,
 * and the legitimate accounts closest to the rules that do it, from real prompts: the first 160
 * queries of two ramps after verification, a half-diluted sweep and a week-long slow sweep of the
 * benchmark's tune split, three domain apps whose off-use slice comes within one step of {@code
 * early-off-use-sweep} and two templated batch pipelines ({@code scenarios/tune-early-sweeps.tsv},
 * written by the bench's {@code ScenarioSampleExport} from payload observations).
 */
class EarlySweepScenarioTest {

  private static ScenarioFile file;

  @BeforeAll
  static void load() throws IOException {
    file = ScenarioFile.load("scenarios/tune-early-sweeps.tsv");
  }

  /** First REVIEW query (-1: never), the REVIEW rules behind it, highest level, every rule. */
  record Outcome(long firstReview, Set<String> firstRules, Level highest, Set<String> rules) {}

  private static Outcome run(ScenarioFile.Account account) {
    Policy policy = Policy.loadDefault();
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
        Set<String> reviewRules = new TreeSet<>();
        policy.rules().stream()
            .filter(r -> r.level().isAbove(Level.WATCH))
            .forEach(r -> reviewRules.add(r.name()));
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
  void aRampIsJudgedOnItsLastMinutesAgainstItsOwnQuietDays() {
    // Read over the last hour's queries (rate_per_hour >= 100), the rate could not hold before the
    // 100th query after verification; these two were reviewed at 101 and 122 by the day's sweep
    // rules (policy .1), whose 24 h window still holds the quiet in-domain days.
    List<ScenarioFile.Account> ramps = ofKind("RAMP_AFTER_VERIFICATION");
    assertThat(ramps).hasSize(2);
    for (ScenarioFile.Account a : ramps) {
      Outcome o = run(a);
      assertThat(o.firstReview()).as(a.id()).isBetween(40L, 100L);
      assertThat(o.firstRules()).as(a.id()).contains("ramp-after-verification");
    }
  }

  @Test
  void aDilutedSweepsSmallOffUseSliceIsReviewedBeforeItsHundredthQuery() {
    // Its off-use slice covers 10 categories (8 unexpected) at its 71st query, all new ground;
    // the diluted-off-use-sweep rule waits for 14 (11) until query 123.
    Outcome o = run(ofKind("DILUTED_SWEEP").get(0));
    assertThat(o.firstReview()).isBetween(65L, 75L);
    assertThat(o.firstRules()).containsExactly("early-off-use-sweep");
  }

  @Test
  void aWeekLongSweepIsReviewedWithinItsFirstHundredQueries() {
    // Reviewed at query 1,509 of 1,960 under policy .1.
    Outcome o = run(ofKind("WEEK_LONG_SLOW_SWEEP").get(0));
    assertThat(o.firstReview()).isBetween(90L, 100L);
    assertThat(o.firstRules()).contains("early-off-use-sweep");
  }

  @Test
  void domainAppsWithAWideOffUseSliceStayBelowReview() {
    // Their off-use slices reach 7-11 categories with two prompts each and come back to ground
    // they visited (novelty 0.80-0.83 by then): one step short of the early rule on each count.
    List<ScenarioFile.Account> apps = ofKind("DOMAIN_APP");
    assertThat(apps).hasSize(3);
    for (ScenarioFile.Account a : apps) {
      Outcome o = run(a);
      assertThat(o.highest()).as(a.id()).isIn(Level.OK, Level.WATCH);
      assertThat(o.rules()).as(a.id()).doesNotContain("early-off-use-sweep");
    }
  }

  @Test
  void templatedBatchPipelinesAtMachineRateStayBelowReview() {
    List<ScenarioFile.Account> pipelines = ofKind("BATCH_PIPELINE");
    assertThat(pipelines).hasSize(2);
    for (ScenarioFile.Account a : pipelines) {
      Outcome o = run(a);
      assertThat(o.highest()).as(a.id()).isIn(Level.OK, Level.WATCH);
      assertThat(o.rules())
          .as(a.id())
          .doesNotContain("early-off-use-sweep", "ramp-after-verification");
    }
  }
}
