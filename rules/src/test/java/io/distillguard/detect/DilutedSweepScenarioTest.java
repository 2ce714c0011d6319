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
 * Diluted sweeps and general assistants from real prompts, whole accounts (up to 520 queries)
 * rather than the first 160: two 70%-diluted sweeps and a half-diluted sweep of the benchmark's
 * tune split that the sweep rules miss or catch late, and two general assistants with a broad
 * stated use, through the shipped default policy ({@code
 * scenarios/tune-diluted-and-assistants.tsv}, written by the bench's {@code ScenarioSampleExport}
 * from payload observations).
 */
class DilutedSweepScenarioTest {

  private static ScenarioFile file;

  @BeforeAll
  static void load() throws IOException {
    file = ScenarioFile.load("scenarios/tune-diluted-and-assistants.tsv");
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
    // One of them shows the shape within ~160 queries, the other only after ~490.
    long earliest = sweeps.stream().mapToLong(a -> run(a).firstReview()).min().orElseThrow();
    assertThat(earliest).isBetween(150L, 170L);
  }

  @Test
  void aHalfDilutedSweepIsReviewedOnceItsOffUseSliceHasSweptTheSpace() {
    Outcome o = run(ofKind("DILUTED_SWEEP").get(0));
    assertThat(o.firstReview()).isBetween(240L, 260L);
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
}
