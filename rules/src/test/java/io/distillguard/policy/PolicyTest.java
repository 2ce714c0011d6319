package io.distillguard.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.signals.SignalSnapshot;
import io.distillguard.signals.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTest {

  static final String TAIL =
      """
      throttle: {ttl_minutes: 30, off_stated_use_share: 0.1, stated_use_min_share: 0.05, no_profile_share: 0.2}
      rearm_after_clear: {volume_factor: 2.0, min_new_queries: 10}
      """;

  static String policy(String rules) {
    return "version: t1\nmin_queries: 5\nrules:\n" + rules + TAIL;
  }

  private static SignalSnapshot snapshot(long queries, Map<String, Double> overrides) {
    Map<String, Double> v = new HashMap<>();
    Signals.ALL.forEach(s -> v.put(s, 0.0));
    v.putAll(overrides);
    return new SignalSnapshot(queries, 0, v);
  }

  @Test
  void theShippedDefaultLoadsAndUsesEveryLevel() {
    Policy p = Policy.loadDefault();
    assertThat(p.version()).isNotBlank();
    assertThat(p.rules())
        .extracting(Rule::level)
        .contains(Level.WATCH, Level.REVIEW, Level.THROTTLE);
    assertThat(p.releaseAfter(Level.REVIEW)).isEmpty();
    assertThat(p.releaseAfter(Level.WATCH)).contains(Duration.ofMinutes(360));
    assertThat(p.throttle().ttl()).isEqualTo(Duration.ofMinutes(60));
    assertThat(p.rearm().volumeFactor()).isEqualTo(2.0);
  }

  @Test
  void loadsFromAFileAndAppliesDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p.yaml");
    Files.writeString(
        file,
        policy(
            """
              - name: fast
                level: watch
                signal: rate_per_min
                threshold: 10
            """));
    Policy p = Policy.load(file);
    Rule r = p.rules().get(0);
    assertThat(r.level()).isEqualTo(Level.WATCH);
    assertThat(r.minQueries()).isEqualTo(5);
    assertThat(r.holdEvaluations()).isEqualTo(1);
    assertThat(r.condition())
        .isEqualTo(new Condition.Threshold("rate_per_min", Condition.Comparison.AT_LEAST, 10));
    assertThat(p.source()).isEqualTo(file.toString());
  }

  @Test
  void allOfNeedsEveryMemberAndReportsEachThreshold() {
    Policy p =
        Policy.parse(
            policy(
                """
                  - name: sweep
                    level: REVIEW
                    all_of:
                      - {signal: coverage_entropy, op: ">=", threshold: 0.7}
                      - {signal: interarrival_cv, op: "<", threshold: 0.3}
                """),
            "test");
    Rule rule = p.rules().get(0);
    List<Reason> reasons = new ArrayList<>();
    assertThat(
            rule.holds(
                snapshot(100, Map.of(Signals.COVERAGE_ENTROPY, 0.9, Signals.INTERARRIVAL_CV, 0.1)),
                reasons))
        .isTrue();
    assertThat(reasons)
        .containsExactly(
            new Reason("sweep", Signals.COVERAGE_ENTROPY, 0.9, 0.7),
            new Reason("sweep", Signals.INTERARRIVAL_CV, 0.1, 0.3));
    reasons.clear();
    assertThat(
            rule.holds(
                snapshot(100, Map.of(Signals.COVERAGE_ENTROPY, 0.9, Signals.INTERARRIVAL_CV, 0.3)),
                reasons))
        .isFalse();
    assertThat(reasons).isEmpty();
  }

  @Test
  void anyOfKeepsTheReasonsOfEveryMemberThatHoldsAndNestingWorks() {
    Policy p =
        Policy.parse(
            policy(
                """
                  - name: either
                    level: WATCH
                    any_of:
                      - {signal: rate_per_min, threshold: 10}
                      - all_of:
                          - {signal: acceleration, op: ">", threshold: 5}
                          - {signal: rate_per_hour, op: ">=", threshold: 100}
                """),
            "test");
    Rule rule = p.rules().get(0);
    List<Reason> reasons = new ArrayList<>();
    assertThat(
            rule.holds(
                snapshot(
                    50,
                    Map.of(
                        Signals.RATE_PER_MIN, 3.0,
                        Signals.ACCELERATION, 6.0,
                        Signals.RATE_PER_HOUR, 180.0)),
                reasons))
        .isTrue();
    assertThat(reasons)
        .extracting(Reason::signal)
        .containsExactly(Signals.ACCELERATION, Signals.RATE_PER_HOUR);
  }

  @Test
  void aRuleBelowItsMinimumSampleNeverHolds() {
    Policy p =
        Policy.parse(
            policy(
                """
                  - name: broad
                    level: WATCH
                    min_queries: 100
                    signal: coverage_entropy
                    threshold: 0.5
                """),
            "test");
    Rule rule = p.rules().get(0);
    List<Reason> reasons = new ArrayList<>();
    assertThat(rule.holds(snapshot(99, Map.of(Signals.COVERAGE_ENTROPY, 1.0)), reasons)).isFalse();
    assertThat(rule.holds(snapshot(100, Map.of(Signals.COVERAGE_ENTROPY, 1.0)), reasons)).isTrue();
  }

  @Test
  void anUnknownSignalIsRejectedWithTheRuleAndPath() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy(
                        """
                          - name: typo
                            level: WATCH
                            all_of:
                              - {signal: coverage_entropy, threshold: 0.5}
                              - {signal: coverage_entrpy, threshold: 0.5}
                        """),
                    "my.yaml"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("my.yaml")
        .hasMessageContaining("rule 'typo'")
        .hasMessageContaining("$.rules[0].all_of[1].signal")
        .hasMessageContaining("unknown signal 'coverage_entrpy'");
  }

  @Test
  void aBadLevelIsRejected() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy(
                        """
                          - name: loud
                            level: PANIC
                            signal: rate_per_min
                            threshold: 1
                        """),
                    "p"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("rule 'loud'")
        .hasMessageContaining("$.rules[0].level")
        .hasMessageContaining("bad level 'PANIC'");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy(
                        """
                          - name: auto-clear
                            level: CLEARED
                            signal: rate_per_min
                            threshold: 1
                        """),
                    "p"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("rule 'auto-clear'");
  }

  @Test
  void aMissingThresholdIsRejected() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy(
                        """
                          - name: half
                            level: REVIEW
                            any_of:
                              - {signal: rate_per_min, op: ">="}
                        """),
                    "p"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("rule 'half'")
        .hasMessageContaining("$.rules[0].any_of[0].threshold")
        .hasMessageContaining("missing threshold");
  }

  @Test
  void otherMistakesAreRejectedWithTheirPath() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy(
                        """
                          - name: a
                            level: WATCH
                            signal: rate_per_min
                            op: "=>"
                            threshold: 1
                        """),
                    "p"))
        .hasMessageContaining("unknown operator '=>'");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy(
                        """
                          - name: a
                            level: WATCH
                            signal: rate_per_min
                            treshold: 1
                        """),
                    "p"))
        .hasMessageContaining("unknown key 'treshold'");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy(
                        """
                          - name: a
                            level: WATCH
                            signal: rate_per_min
                            threshold: 1
                          - name: a
                            level: REVIEW
                            signal: rate_per_min
                            threshold: 2
                        """),
                    "p"))
        .hasMessageContaining("rule 'a'")
        .hasMessageContaining("duplicate rule name");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy(
                        """
                          - name: a
                            level: WATCH
                            signal: rate_per_min
                            threshold: high
                        """),
                    "p"))
        .hasMessageContaining("threshold must be a number");
    assertThatThrownBy(() -> Policy.parse("version: x\nrules: []\n" + TAIL, "p"))
        .hasMessageContaining("$.rules");
    assertThatThrownBy(() -> Policy.parse("rules: [\n", "p"))
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    policy(
                            """
                          - name: a
                            level: WATCH
                            signal: rate_per_min
                            threshold: 1
                        """)
                        .replace("off_stated_use_share: 0.1", "off_stated_use_share: 1.5"),
                    "p"))
        .hasMessageContaining("$.throttle.off_stated_use_share");
  }

  @Test
  void aMissingFileIsAPolicyException(@TempDir Path dir) {
    assertThatThrownBy(() -> Policy.load(dir.resolve("absent.yaml")))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("absent.yaml");
  }
}
