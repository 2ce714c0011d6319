package io.distillguard.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.Reason;
import io.distillguard.signals.Signals;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sweep rules' off-use category fit (policy 2026-12-02.4: {@code off_use_category_fit <= 0.31}
 * in {@code broad-coverage-off-stated-use}, {@code evidence-off-stated-use}, {@code off-use-sweep}
 * and {@code broad-sweep-at-volume}), on real prompts: whole accounts of the benchmark's tune split
 * (seed 1001 at scale 1.0) that the policy before it judged wrongly — a company-wide assistant (524
 * queries) and a general assistant (199) it reviewed at their 42nd and 44th query, an
 * assistant-mimic sweep (349) and a 70%-diluted sweep (408) it never reviewed. Written by the
 * bench's {@code ScenarioSampleExport} from payload observations with each query's category
 * similarity ({@code scenarios/tune-category-fit.tsv}).
 */
class CategoryFitScenarioTest {

  private static ScenarioFile file;

  @BeforeAll
  static void load() throws IOException {
    file = ScenarioFile.load("scenarios/tune-category-fit.tsv");
  }

  /** First REVIEW query (-1: never), the signals its reasons name, and the highest level. */
  record Outcome(long firstReview, Set<String> reviewSignals, Level highest) {}

  private static Outcome run(String kind) {
    ScenarioFile.Account account =
        file.accounts.stream().filter(a -> a.kind().equals(kind)).findFirst().orElseThrow();
    Policy policy = Policy.loadDefault();
    AccountDetector detector = new AccountDetector(() -> policy, file.categories);
    DetectionState state = detector.newState();
    long first = -1;
    Set<String> signals = new TreeSet<>();
    Level highest = Level.OK;
    for (AccountObservation o : account.observations()) {
      Evaluation e = detector.observe(state, o);
      if (e.level().isAbove(highest)) {
        highest = e.level();
      }
      if (first < 0 && e.level().isAbove(Level.WATCH)) {
        first = state.queriesObserved();
        e.decision().reasons().stream().map(Reason::signal).forEach(signals::add);
      }
    }
    return new Outcome(first, signals, highest);
  }

  @Test
  void broadAssistantsWhoseRequestsFitTheCategoriesStayAtWatch() {
    for (String kind : java.util.List.of("EMPLOYEE_ASSISTANT", "GENERAL_ASSISTANT")) {
      Outcome o = run(kind);
      assertThat(o.highest()).as(kind).isEqualTo(Level.WATCH);
      assertThat(o.firstReview()).as(kind).isEqualTo(-1L);
    }
  }

  @Test
  void sweepsBehindABroadOrDilutedUseAreReviewedWithinTheirFirstHundredQueries() {
    for (String kind : java.util.List.of("ASSISTANT_MIMIC_SWEEP", "DILUTED_70_SWEEP")) {
      Outcome o = run(kind);
      assertThat(o.firstReview()).as(kind).isBetween(40L, 100L);
      // The reason names the fit, so a reviewer sees why the breadth counts here.
      assertThat(o.reviewSignals()).as(kind).contains(Signals.OFF_USE_CATEGORY_FIT);
    }
  }

  @Test
  void theAssistantsOffUsePromptsFitAboveTheThresholdFromTheirHundredthQuery() {
    Policy policy = Policy.loadDefault();
    double assistantsLowest = Double.MAX_VALUE;
    double sweepsHighest = 0;
    for (ScenarioFile.Account account : file.accounts) {
      AccountDetector detector = new AccountDetector(() -> policy, file.categories);
      DetectionState state = detector.newState();
      for (AccountObservation o : account.observations()) {
        Evaluation e = detector.observe(state, o);
        if (state.queriesObserved() < 100) {
          continue;
        }
        double fit = e.signals().get(Signals.OFF_USE_CATEGORY_FIT);
        if (account.kind().endsWith("ASSISTANT")) {
          assistantsLowest = Math.min(assistantsLowest, fit);
        } else {
          sweepsHighest = Math.max(sweepsHighest, fit);
        }
      }
    }
    assertThat(assistantsLowest).isGreaterThan(0.31);
    // The margin is thin: the two sweeps' fit also rises above 0.31 at times (0.33 at most here);
    // the rules hold while it is low, and sweeps' fit is low most of the time.
    assertThat(sweepsHighest).isGreaterThan(0.31).isLessThan(0.34);
  }
}
