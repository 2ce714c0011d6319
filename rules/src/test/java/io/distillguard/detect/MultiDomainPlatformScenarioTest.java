package io.distillguard.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Condition;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.Rule;
import io.distillguard.signals.SignalSnapshot;
import io.distillguard.signals.Signals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What keeps a multi-domain platform out of the diluted-sweep rule (policy .11): whole accounts of
 * the benchmark's tune split at scale 1.0, from real prompts — three multi-domain platforms whose
 * off-use slice meets the rule's count and core (two of them reviewed under .9), the 70%-diluted
 * sweep the rule reviewed last under .9 (572 queries), and a narrow swarm member it used to review
 * — through the shipped default policy ({@code scenarios/tune-multi-domain-platforms.tsv}, written
 * by the bench's {@code ScenarioSampleExport} from payload observations).
 */
class MultiDomainPlatformScenarioTest {

  private static final String RULE = "diluted-off-use-sweep";

  private static ScenarioFile file;
  private static Policy policy;

  @BeforeAll
  static void load() throws IOException {
    file = ScenarioFile.load("scenarios/tune-multi-domain-platforms.tsv");
    policy = Policy.loadDefault();
  }

  /** Every evaluation's signals, the first REVIEW query (-1: never), the rules that fired. */
  record Run(List<SignalSnapshot> signals, long firstReview, Level highest, Set<String> rules) {}

  private static Run run(ScenarioFile.Account account) {
    AccountDetector detector = new AccountDetector(() -> policy, file.categories);
    DetectionState state = detector.newState();
    List<SignalSnapshot> signals = new ArrayList<>();
    long first = -1;
    Level highest = Level.OK;
    Set<String> rules = new TreeSet<>();
    for (AccountObservation o : account.observations()) {
      Evaluation e = detector.observe(state, o);
      signals.add(e.signals());
      e.decision().reasons().forEach(r -> rules.add(r.rule()));
      if (e.level().isAbove(highest)) {
        highest = e.level();
      }
      if (first < 0 && e.level().isAbove(Level.WATCH)) {
        first = state.queriesObserved();
      }
    }
    return new Run(signals, first, highest, rules);
  }

  private static List<ScenarioFile.Account> ofKind(String kind) {
    return file.accounts.stream().filter(a -> a.kind().equals(kind)).toList();
  }

  /** The shipped diluted-sweep rule's threshold on {@code signal}. */
  private static double threshold(String signal) {
    Rule rule =
        policy.rules().stream().filter(r -> r.name().equals(RULE)).findFirst().orElseThrow();
    return thresholdOf(rule.condition(), signal);
  }

  private static double thresholdOf(Condition c, String signal) {
    if (c instanceof Condition.Threshold t && t.signal().equals(signal)) {
      return t.threshold();
    }
    List<Condition> members =
        c instanceof Condition.AllOf all
            ? all.members()
            : c instanceof Condition.AnyOf any ? any.members() : List.of();
    for (Condition m : members) {
      double v = thresholdOf(m, signal);
      if (!Double.isNaN(v)) {
        return v;
      }
    }
    return Double.NaN;
  }

  /** The rule's core and its count of off-use categories over a week. */
  private static boolean coreAndCount(SignalSnapshot s) {
    boolean core =
        s.get(Signals.OFF_STATED_USE_SHARE) <= 0.60 || s.get(Signals.COVERAGE_ENTROPY) <= 0.80;
    return core && s.get(Signals.OFF_USE_CATEGORIES_7D) >= threshold(Signals.OFF_USE_CATEGORIES_7D);
  }

  @Test
  void theShippedRuleAsksFor11UnexpectedCategoriesAndANoveltyOf078() {
    assertThat(threshold(Signals.OFF_USE_UNEXPECTED_CATEGORIES)).isEqualTo(11);
    assertThat(threshold(Signals.OFF_USE_NEW_CELL_SHARE_7D)).isEqualTo(0.78);
  }

  @Test
  void platformsLandWhereTheirStatedUseExpectsThemAndStayBelowReview() {
    List<ScenarioFile.Account> platforms = ofKind("MULTI_DOMAIN_PLATFORM");
    assertThat(platforms).hasSize(3);
    double unexpected = threshold(Signals.OFF_USE_UNEXPECTED_CATEGORIES);
    double novelty = threshold(Signals.OFF_USE_NEW_CELL_SHARE_7D);
    int sweepShaped = 0;
    for (ScenarioFile.Account a : platforms) {
      Run r = run(a);
      assertThat(r.highest()).as(a.id()).isIn(Level.OK, Level.WATCH);
      assertThat(r.rules()).as(a.id()).doesNotContain(RULE);
      for (SignalSnapshot s : r.signals()) {
        if (coreAndCount(s)) {
          sweepShaped++;
          // A slice as large and concentrated as a diluted sweep's, but mostly where the stated
          // use expects it, or coming back to what its users ask.
          assertThat(
                  s.get(Signals.OFF_USE_UNEXPECTED_CATEGORIES) < unexpected
                      || s.get(Signals.OFF_USE_NEW_CELL_SHARE_7D) < novelty)
              .as(a.id() + " at query " + s.queriesObserved())
              .isTrue();
        }
      }
    }
    assertThat(sweepShaped).isGreaterThan(100);
  }

  @Test
  void theLatestDilutedSweepOfTheOldPolicyIsTheTradeOff() {
    // Under .9 the rule reviewed it after 572 of its 622 queries (9 unexpected categories, novelty
    // 0.80); .11 lets it through per account.
    Run r = run(ofKind("DILUTED_70_SWEEP").get(0));
    assertThat(r.rules()).doesNotContain(RULE);
    assertThat(r.signals()).hasSize(622);
  }

  @Test
  void aNarrowSwarmMemberAskingWhatItsStatedUseSaysIsLeftToTheCampaignRules() {
    Run r = run(ofKind("SWARM_NARROW").get(0));
    assertThat(r.rules()).doesNotContain(RULE);
    assertThat(r.highest()).isIn(Level.OK, Level.WATCH);
  }
}
