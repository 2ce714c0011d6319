package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Campaign ids are durable: a grouping that starts over (a failover rebuilds its link tables from
 * traffic) continues the campaign its members were recorded in, and a group that spans two
 * campaigns merges the second into the first, once.
 */
class CampaignIdentityTest {

  private static final Policy POLICY = Policy.loadDefault();

  private static List<CampaignGrouping.Routed> feed(BoundedGrouping g) {
    List<CampaignGrouping.Routed> out = new ArrayList<>();
    for (AccountObservation o : SwarmTraffic.swarm("swarm-", 8, 12)) {
      out.add(g.observeAll(List.of(o)));
    }
    return out;
  }

  @Test
  void aSwarmFormingAfreshWithoutRecoveredMembershipsGetsANewId() {
    BoundedGrouping g =
        new BoundedGrouping(() -> POLICY, SwarmTraffic.CATEGORIES, GroupingBounds.accounts(1_000));
    List<CampaignGrouping.Routed> routed = feed(g);
    String id = g.campaignOf("swarm-0").orElseThrow();
    assertThat(routed).allSatisfy(r -> assertThat(r.merges()).isEmpty());
    assertThat(routed.stream().flatMap(r -> r.sends().stream()))
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.campaignId()).isEqualTo(id));
    assertThat(g.stats().memberships()).isEqualTo(8);
  }

  @Test
  void aSwarmReFormedAfterARestartContinuesItsCampaign() {
    Map<String, String> persisted = new HashMap<>();
    for (int m = 0; m < 8; m++) {
      persisted.put("swarm-" + m, "cmp-before");
    }
    BoundedGrouping g = restored(persisted);
    List<CampaignGrouping.Routed> routed = feed(g);
    for (int m = 0; m < 8; m++) {
      assertThat(g.campaignOf("swarm-" + m)).contains("cmp-before");
    }
    assertThat(routed).allSatisfy(r -> assertThat(r.merges()).isEmpty());
    assertThat(routed.stream().flatMap(r -> r.sends().stream()))
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.campaignId()).isEqualTo("cmp-before"));
  }

  @Test
  void aDeclaredOrganisationsPrincipalIsNoMembership() {
    CampaignIdentity identity = new CampaignIdentity(100);
    String principal = io.distillguard.campaign.CampaignDetector.orgId("acme-corp");
    identity.remember("a-1", "cmp-x");
    identity.remember("a-1", principal);
    identity.remember("a-2", principal);
    assertThat(identity.campaignOf("a-1")).isEqualTo("cmp-x");
    assertThat(identity.campaignOf("a-2")).isNull();
    assertThat(identity.memberships()).isEqualTo(1);
  }

  @Test
  void aGroupSpanningTwoCampaignsMergesTheSecondIntoTheFirstOnce() {
    Map<String, String> persisted = new HashMap<>();
    for (int m = 0; m < 8; m++) {
      persisted.put("swarm-" + m, m < 4 ? "cmp-first" : "cmp-second");
    }
    BoundedGrouping g = restored(persisted);
    List<CampaignGrouping.Merge> merges =
        feed(g).stream().flatMap(r -> r.merges().stream()).toList();
    assertThat(merges).containsExactly(new CampaignGrouping.Merge("cmp-second", "cmp-first"));
    for (int m = 0; m < 8; m++) {
      assertThat(g.campaignOf("swarm-" + m)).contains("cmp-first");
    }
    // The merged campaign's members are not sent again as newcomers: they move with the merge.
    List<CampaignGrouping.Send> later = new ArrayList<>();
    for (AccountObservation o : SwarmTraffic.member("swarm-", 5, 8, 2, SwarmTraffic.T1)) {
      later.addAll(g.observe(o));
    }
    assertThat(later).extracting(s -> s.summary().accountId()).containsOnly("swarm-5");
  }

  @Test
  void anErasedAccountLeavesItsMembershipBehind() {
    Map<String, String> persisted = new HashMap<>(Map.of("swarm-0", "cmp-before"));
    BoundedGrouping g = restored(persisted);
    assertThat(g.stats().memberships()).isEqualTo(1);
    g.forgetAccount("swarm-0");
    assertThat(g.stats().memberships()).isZero();
  }

  /** A grouping restarted with the campaigns {@code persisted} for their accounts. */
  private static BoundedGrouping restored(Map<String, String> persisted) {
    return new BoundedGrouping(
        () -> POLICY, SwarmTraffic.CATEGORIES, GroupingBounds.accounts(1_000), persisted, Map.of());
  }
}
