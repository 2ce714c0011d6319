package io.distillguard.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code registered-together-complementary} rule at the signals of a narrow swarm the
 * other rules missed (campaign benchmark, seed 4242: eight accounts signed up within half an hour
 * on shared addresses, each asking a slice under a stated use that overlaps the others', measured
 * when its fourth member joined), and at the same signals changed the way the groups it must leave
 * alone differ.
 */
class RegisteredTogetherComplementaryTest {

  private static final CampaignRule RULE =
      CampaignDetectorTest.shippedRule("registered-together-complementary");

  private static Map<String, Double> narrowSwarm() {
    Map<String, Double> v = new HashMap<>();
    v.put(CampaignSignals.MEMBERS, 4.0);
    v.put(CampaignSignals.SIGNUP_SPAN_HOURS, 0.483);
    v.put(CampaignSignals.INFRASTRUCTURE_LINK_WEIGHT, 0.9);
    v.put(CampaignSignals.REGISTRATION_LINK_WEIGHT, 0.8);
    v.put(CampaignSignals.COMPLEMENTARITY, 2.48);
    v.put(CampaignSignals.UNION_COVERAGE_BREADTH, 0.785);
    v.put(CampaignSignals.PAIRWISE_OVERLAP, 0.139);
    v.put(CampaignSignals.DECLARED_ORG_SHARE, 0.0);
    // What the tiling rules read, and why they stayed quiet: the stated uses overlap, and the
    // slices share their edges; the members ask what their stated uses say.
    v.put(CampaignSignals.STATED_USE_OVERLAP, 0.491);
    v.put(CampaignSignals.DISJOINT_PAIR_SHARE, 0.333);
    v.put(CampaignSignals.MEMBER_UNEXPECTED_SHARE, 0.276);
    return v;
  }

  private static boolean holds(Map<String, Double> signals, List<Reason> reasons) {
    return RULE.holds(new SignalSnapshot(491, 0, signals), reasons);
  }

  @Test
  void aNarrowSwarmRegisteredTogetherWhoseStatedUsesOverlapIsRaised() {
    List<Reason> reasons = new ArrayList<>();
    assertThat(holds(narrowSwarm(), reasons)).isTrue();
    assertThat(reasons)
        .extracting(Reason::signal)
        .contains(CampaignSignals.COMPLEMENTARITY, CampaignSignals.SIGNUP_SPAN_HOURS);
  }

  @Test
  void aCampusSignedUpOverDaysATeamSharingOneSubjectOrAGroupAskingAlikeIsNot() {
    Map<String, Double> campus = narrowSwarm();
    campus.put(CampaignSignals.SIGNUP_SPAN_HOURS, 60.0);
    Map<String, Double> alike = narrowSwarm();
    alike.put(CampaignSignals.COMPLEMENTARITY, 1.4);
    Map<String, Double> narrowTogether = narrowSwarm();
    narrowTogether.put(CampaignSignals.UNION_COVERAGE_BREADTH, 0.55);
    // A team signed up together for one subject, each with a side topic of its own.
    Map<String, Double> team = narrowSwarm();
    team.put(CampaignSignals.PAIRWISE_OVERLAP, 0.67);
    Map<String, Double> organisation = narrowSwarm();
    organisation.put(CampaignSignals.DECLARED_ORG_SHARE, 1.0);

    for (Map<String, Double> quiet : List.of(campus, alike, narrowTogether, team, organisation)) {
      assertThat(holds(quiet, new ArrayList<>())).isFalse();
    }
  }
}
