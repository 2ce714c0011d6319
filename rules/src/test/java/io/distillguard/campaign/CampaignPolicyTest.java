package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import io.distillguard.policy.PolicyException;
import io.distillguard.policy.PolicyReloader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignPolicyTest {

  private static final String BASE =
      """
      version: t1
      rules:
        - {name: r, level: WATCH, signal: coverage_entropy, threshold: 0.9}
      throttle: {ttl_minutes: 30, off_stated_use_share: 0.1, stated_use_min_share: 0.05, no_profile_share: 0.2}
      rearm_after_clear: {volume_factor: 2.0, min_new_queries: 10}
      """;

  @Test
  void theShippedDefaultHasCampaignRules() {
    CampaignPolicy c = Policy.loadDefault().campaigns();
    assertThat(c.rules())
        .extracting(CampaignRule::name)
        .contains("split-sweep", "organisation-off-stated-use");
    assertThat(c.rules()).extracting(CampaignRule::level).containsOnly(Level.WATCH, Level.REVIEW);
    assertThat(c.release(Level.REVIEW)).isEmpty();
    assertThat(c.links().stopWordAccounts(LinkKind.INFRASTRUCTURE)).isEqualTo(1000);
  }

  @Test
  void aPolicyWithoutTheSectionHasNoCampaignRules() {
    assertThat(Policy.parse(BASE, "t").campaigns()).isEqualTo(CampaignPolicy.NONE);
  }

  @Test
  void theSectionIsReadWithDefaultsAndLinks() {
    Policy p =
        Policy.parse(
            BASE
                + """
                campaign_rules:
                  min_members: 4
                  links: {ttl_minutes: 60, max_members_per_key: 32, stop_word_accounts: {content: 500}}
                  release: {WATCH: {after_minutes: 30}}
                  rules:
                    - name: c1
                      level: REVIEW
                      min_queries: 10
                      hold: {evaluations: 2, minutes: 5}
                      all_of:
                        - {signal: complementarity, op: ">=", threshold: 3}
                        - {signal: scaffold_link_weight, op: ">=", threshold: 0.3}
                """,
            "t");
    CampaignPolicy c = p.campaigns();
    CampaignRule r = c.rules().get(0);
    assertThat(r.minMembers()).isEqualTo(4);
    assertThat(r.minQueries()).isEqualTo(10);
    assertThat(r.holdEvaluations()).isEqualTo(2);
    assertThat(r.holdMinutes()).isEqualTo(5);
    assertThat(c.links().ttl()).isEqualTo(Duration.ofMinutes(60));
    assertThat(c.links().maxMembersPerKey()).isEqualTo(32);
    assertThat(c.links().stopWordAccounts(LinkKind.CONTENT)).isEqualTo(500);
    assertThat(c.links().stopWordAccounts(LinkKind.INFRASTRUCTURE)).isEqualTo(1000);
    assertThat(c.release(Level.WATCH)).contains(Duration.ofMinutes(30));
  }

  @Test
  void mistakesAreRefusedWithTheirPath() {
    assertThatThrownBy(
            () ->
                Policy.parse(
                    BASE
                        + "campaign_rules:\n  rules:\n    - {name: c1, level: REVIEW, signal: coverage_entropy, threshold: 1}\n",
                    "t"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("rule 'c1'")
        .hasMessageContaining("unknown signal 'coverage_entropy'");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    BASE
                        + "campaign_rules:\n  rules:\n    - {name: c1, level: THROTTLE, signal: members, threshold: 3}\n",
                    "t"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("WATCH or REVIEW");
    assertThatThrownBy(() -> Policy.parse(BASE + "campaign_rules:\n  rulez: []\n", "t"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("$.campaign_rules.rulez");
    // Account rules still refuse campaign signals.
    assertThatThrownBy(() -> Policy.parse(BASE.replace("coverage_entropy", "complementarity"), "t"))
        .hasMessageContaining("unknown signal 'complementarity'");
  }

  @Test
  void campaignRulesAreReloadedWithoutARestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, BASE);
    PolicyReloader reloader = PolicyReloader.manual(file);
    CampaignTraffic t = new CampaignTraffic(reloader, 41);
    List<String> members = new ArrayList<>();
    List<String> subjects = CampaignTraffic.subjects(15);
    for (int m = 0; m < 6; m++) {
      String id = "swarm-" + m;
      members.add(id);
      t.profile(id, "Quiz app", null, CampaignTraffic.T0.minusSeconds(3600), Set.of(), null);
      t.queries(
          id,
          CampaignTraffic.T0,
          Duration.ofDays(1),
          60,
          List.of(subjects.get(2 * m), subjects.get(2 * m + 1)),
          "Practice item for the study bank, answer and explain briefly: %s",
          List.of("203.0.113.9"),
          "sb/1.0");
    }
    t.play();
    // Without campaign rules the swarm is grouped but not escalated.
    assertThat(t.detector.campaigns()).extracting(CampaignView::level).containsOnly(Level.OK);
    assertThat(t.flagged(members)).isEmpty();

    String shipped;
    try (var in = Policy.class.getClassLoader().getResourceAsStream(Policy.DEFAULT_RESOURCE)) {
      shipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Files.writeString(file, shipped);
    assertThat(reloader.reloadIfChanged()).isTrue();
    for (String id : members) {
      t.queries(
          id,
          CampaignTraffic.T0.plus(Duration.ofDays(1)),
          Duration.ofHours(6),
          10,
          List.of(subjects.get(members.indexOf(id) * 2)),
          "Practice item for the study bank, answer and explain briefly: %s",
          List.of("203.0.113.9"),
          "sb/1.0");
    }
    t.play();
    assertThat(t.flagged(members)).containsExactlyInAnyOrderElementsOf(members);
  }
}
