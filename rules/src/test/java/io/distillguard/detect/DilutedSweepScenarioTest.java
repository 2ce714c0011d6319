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
 * Diluted sweeps and the hard negatives closest to them, from real prompts, whole accounts: two
 * 70%-diluted sweeps and a half-diluted sweep of the benchmark's tune split, two general assistants
 * with a broad stated use, a heavy domain app (1,273 queries, whose off-use slice covers 19
 * categories with two prompts each over a week but keeps coming back to what its users ask) and a
 * multi-domain platform, through the shipped default policy ({@code
 * scenarios/tune-diluted-hard-negatives.tsv}, written by the bench's {@code ScenarioSampleExport}
 * from payload observations).
 */
class DilutedSweepScenarioTest {

  private static ScenarioFile file;

  @BeforeAll
  static void load() throws IOException {
    file = ScenarioFile.load("scenarios/tune-diluted-hard-negatives.tsv");
  }

  /** First REVIEW query (-1: never), highest level, and every rule that fired. */
  record Outcome(long firstReview, Level highest, Set<String> rules) {}

  private static Outcome run(ScenarioFile.Account account) {
    Policy policy = Policy.loadDefault();
    AccountDetector detector = new AccountDetector(() -> policy, file.categories);
    DetectionState state = detector.newState();
    long first = -1;
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
      }
    }
    return new Outcome(first, highest, rules);
  }

  private static List<ScenarioFile.Account> ofKind(String kind) {
    return file.accounts.stream().filter(a -> a.kind().equals(kind)).toList();
  }

  @Test
  void seventyPercentDilutedSweepsAreReviewedByTheirOffUseSliceAlone() {
    List<ScenarioFile.Account> sweeps = ofKind("DILUTED_70_SWEEP");
    assertThat(sweeps).hasSize(2);
    for (ScenarioFile.Account a : sweeps) {
      Outcome o = run(a);
      assertThat(o.highest()).as(a.id()).isEqualTo(Level.REVIEW);
      assertThat(o.rules()).as(a.id()).contains("diluted-off-use-sweep");
    }
    // One shows an in-domain core by similarity (at most 60% off the stated use), the other only a
    // concentrated traffic (its in-domain payloads sit as far from the stated use as its sweep):
    // the second is reviewed within its first hundred queries.
    List<Long> firsts = sweeps.stream().map(a -> run(a).firstReview()).sorted().toList();
    assertThat(firsts.get(0)).isBetween(90L, 100L);
    assertThat(firsts.get(1)).isBetween(230L, 245L);
  }

  @Test
  void aHalfDilutedSweepIsReviewedOnceItsOffUseSliceHasSweptTheSpace() {
    Outcome o = run(ofKind("DILUTED_SWEEP").get(0));
    // Policy .11 asks for 11 unexpected categories in its off-use slice (8 before): 263 (.7: 252).
    assertThat(o.firstReview()).isBetween(255L, 270L);
    assertThat(o.rules()).contains("diluted-off-use-sweep");
  }

  @Test
  void generalAssistantsWithNoInDomainCoreStayBelowReview() {
    List<ScenarioFile.Account> assistants = ofKind("GENERAL_ASSISTANT");
    assertThat(assistants).hasSize(2);
    for (ScenarioFile.Account a : assistants) {
      Outcome o = run(a);
      assertThat(o.highest()).as(a.id()).isIn(Level.OK, Level.WATCH);
      assertThat(o.rules()).as(a.id()).doesNotContain("diluted-off-use-sweep");
    }
  }

  @Test
  void aHeavyDomainAppWhoseStrayPromptsCoverManyCategoriesStaysQuiet() {
    ScenarioFile.Account app = ofKind("HEAVY_DOMAIN_APP").get(0);
    assertThat(app.observations()).hasSizeGreaterThan(1200);
    Outcome o = run(app);
    assertThat(o.highest()).isIn(Level.OK, Level.WATCH);
    assertThat(o.rules()).doesNotContain("diluted-off-use-sweep");
  }

  @Test
  void aMultiDomainPlatformStaysQuiet() {
    Outcome o = run(ofKind("MULTI_DOMAIN_PLATFORM").get(0));
    assertThat(o.highest()).isIn(Level.OK, Level.WATCH);
    assertThat(o.rules()).doesNotContain("diluted-off-use-sweep");
  }
}
