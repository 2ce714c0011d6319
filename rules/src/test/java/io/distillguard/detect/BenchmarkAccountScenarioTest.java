package io.distillguard.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One account of every benchmark kind, from real prompts: the first 160 enriched observations
 * (categories, similarities, LSH signatures; no prompt text) of the first account of each kind on
 * the benchmark's tune split ({@code scenarios/tune-accounts.tsv}, written by the bench's {@code
 * ScenarioSampleExport} from payload observations: each prompt embedded after the account's learned
 * preamble, as the ingest job does; the kinds added later from the tune split at scale 1.0),
 * through the shipped default policy.
 */
class BenchmarkAccountScenarioTest {

  private static List<String> categories;
  private static final Map<String, ScenarioFile.Account> BY_KIND = new LinkedHashMap<>();

  @BeforeAll
  static void load() throws IOException {
    ScenarioFile file = ScenarioFile.load("scenarios/tune-accounts.tsv");
    categories = file.categories;
    file.accounts.forEach(account -> BY_KIND.put(account.kind(), account));
  }

  /** The highest level an account reached and the queries before it first reached REVIEW. */
  record Outcome(Level highest, long queriesBeforeReview) {}

  private static Outcome run(String kind) {
    Policy policy = Policy.loadDefault();
    AccountDetector detector = new AccountDetector(() -> policy, categories);
    DetectionState state = detector.newState();
    long first = -1;
    Level highest = Level.OK;
    for (AccountObservation o : BY_KIND.get(kind).observations()) {
      Evaluation e = detector.observe(state, o);
      if (e.level().isAbove(highest)) {
        highest = e.level();
      }
      if (first < 0 && (e.level() == Level.REVIEW || e.level() == Level.THROTTLE)) {
        first = state.queriesObserved();
      }
    }
    return new Outcome(highest, first);
  }

  @Test
  void legitimateAccountsAndHardNegativesAreNotReviewed() {
    for (String kind :
        List.of(
            "DOMAIN_APP",
            "HEAVY_DOMAIN_APP",
            "BATCH_PIPELINE",
            "GENERAL_ASSISTANT",
            "ORG_SMALL_ACCOUNT",
            "MULTI_DOMAIN_PLATFORM")) {
      assertThat(run(kind).highest()).as(kind).isIn(Level.OK, Level.WATCH);
    }
  }

  @Test
  void fastSwarmPreambleAndAssistantMimicSweepsAreReviewedWithinFiftyQueries() {
    for (String kind :
        List.of("FAST_SWEEP", "SWARM_BROAD", "PREAMBLE_SWEEP", "ASSISTANT_MIMIC_SWEEP")) {
      assertThat(run(kind).queriesBeforeReview()).as(kind).isBetween(42L, 50L);
    }
  }

  @Test
  void slowOrderedAndBroadClaimSweepsAreReviewedWithinTheirFirstHundredQueries() {
    for (String kind : List.of("SLOW_SWEEP", "ORDERED_SWEEP", "BROAD_CLAIM_SWEEP")) {
      assertThat(run(kind).queriesBeforeReview()).as(kind).isBetween(42L, 100L);
    }
  }

  @Test
  void aRampIsReviewedSoonAfterItsQuietInDomainStart() {
    // 30-70 quiet in-domain queries come first; the sweep after verification is reviewed within
    // about 50 of its own queries.
    assertThat(run("RAMP_AFTER_VERIFICATION").queriesBeforeReview()).isBetween(42L, 120L);
  }

  @Test
  void aWeekLongSlowSweepIsReviewedWithinItsFirstHundredQueries() {
    // At 5-20 queries an hour no rate-gated rule applies; the sequential score in traffic shaped
    // like a sweep (evidence-off-stated-use) reviews it once the score reaches 30.
    assertThat(run("WEEK_LONG_SLOW_SWEEP").queriesBeforeReview()).isBetween(42L, 100L);
  }
}
