package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.campaign.LinkType;
import io.distillguard.campaign.MemberSummary;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The grouping stays bounded: accounts unseen for the link TTL are forgotten, and beyond the
 * maximum the least recently seen go; a key shared by many accounts costs its capped table only.
 */
class BoundedGroupingTest {

  private static final Policy POLICY = Policy.loadDefault();

  @Test
  void accountsUnseenForTheLinkTtlAreForgotten() {
    BoundedGrouping g =
        new BoundedGrouping(() -> POLICY, SwarmTraffic.CATEGORIES, GroupingBounds.accounts(1_000));
    int records = 0;
    for (AccountObservation o : SwarmTraffic.swarm("swarm-", 8, 12)) {
      records += g.observe(o).size();
    }
    assertThat(records).isPositive();
    assertThat(g.campaignOf("swarm-0")).isPresent();
    assertThat(g.stats().accounts()).isEqualTo(8);

    // Eight days later (the TTL is seven) one new account arrives: the swarm is forgotten here;
    // its campaign entity keeps what it journaled.
    long later = TestFixtures.T0 + 8 * 86_400_000L;
    g.observe(SwarmTraffic.loner("loner", 1, later).get(0));
    CampaignGrouping.Stats stats = g.stats();
    assertThat(stats.accounts()).isEqualTo(1);
    assertThat(stats.detectorAccounts()).isEqualTo(1);
    assertThat(stats.recorded()).isZero();
    assertThat(stats.campaigns()).isZero();
    assertThat(stats.forgotten()).isEqualTo(8);
    assertThat(g.campaignOf("swarm-0")).isEmpty();
  }

  @Test
  void ownLevelsReachTheSummariesSentAlsoWhenCommittedBeforeTheAccountWasSeen() {
    BoundedGrouping g =
        new BoundedGrouping(() -> POLICY, SwarmTraffic.CATEGORIES, GroupingBounds.accounts(1_000));
    List<AccountObservation> swarm = SwarmTraffic.swarm("swarm-", 8, 12);
    List<AccountObservation> first = swarm.subList(0, swarm.size() / 2);
    List<AccountObservation> rest = swarm.subList(swarm.size() / 2, swarm.size());
    first.forEach(g::observe);
    // swarm-0 is held; "swarm-late" is not seen yet (its observations wait in the intake's order).
    g.ownLevels(
        List.of(
            new io.distillguard.actors.account.OwnLevel("swarm-0", Level.REVIEW),
            new io.distillguard.actors.account.OwnLevel("swarm-late", Level.CONFIRMED)));
    java.util.Map<String, MemberSummary> sent = new java.util.HashMap<>();
    for (AccountObservation o : rest) {
      g.observe(o).forEach(s -> sent.put(s.summary().accountId(), s.summary()));
    }
    for (AccountObservation o :
        SwarmTraffic.memberNamed("swarm-late", 1, 8, 3, rest.get(0).eventTimeMillis())) {
      g.observe(o).forEach(s -> sent.put(s.summary().accountId(), s.summary()));
    }
    assertThat(sent.get("swarm-0").ownLevel()).isEqualTo(Level.REVIEW);
    assertThat(sent.get("swarm-1").ownLevel()).isNull();
    assertThat(sent.get("swarm-late").ownLevel()).isEqualTo(Level.CONFIRMED);
  }

  /**
   * A declared organisation is one principal once it has two members: the first records of the
   * principal name both, later members come with their own observations, and a member that is also
   * linked to a swarm is recorded in both campaigns while the swarm's id stays the swarm's.
   */
  @Test
  void aDeclaredOrganisationsMembersAreRecordedInItsPrincipalBesideTheirLinkedCampaign() {
    BoundedGrouping g =
        new BoundedGrouping(() -> POLICY, SwarmTraffic.CATEGORIES, GroupingBounds.accounts(1_000));
    String principal = io.distillguard.campaign.CampaignDetector.orgId("acme-corp");
    List<String> none = List.of();
    java.util.function.BiFunction<String, Integer, AccountObservation> acme =
        (account, q) ->
            SwarmTraffic.observation(
                account + "-o" + q,
                account,
                TestFixtures.T0 + q * 60_000L,
                SwarmTraffic.CATEGORIES.get(q % SwarmTraffic.CATEGORIES.size()),
                none,
                "acme-corp",
                null);

    // One member is no campaign yet.
    assertThat(g.observe(acme.apply("acme-0", 0))).isEmpty();
    // The second founds the principal: both are recorded there.
    assertThat(g.observe(acme.apply("acme-1", 1)))
        .extracting(s -> s.campaignId() + "/" + s.summary().accountId())
        .containsExactlyInAnyOrder(principal + "/acme-0", principal + "/acme-1");
    // Later, each member with its own observation only.
    assertThat(g.observe(acme.apply("acme-0", 2)))
        .extracting(s -> s.campaignId() + "/" + s.summary().accountId())
        .containsExactly(principal + "/acme-0");

    // swarm-0 declares the organisation too: it is recorded in its swarm and in the principal.
    java.util.Map<String, java.util.Set<String>> campaignsOf = new java.util.HashMap<>();
    for (AccountObservation o : SwarmTraffic.swarm("swarm-", 8, 12)) {
      AccountObservation in =
          o.accountId().equals("swarm-0") ? SwarmTraffic.declaring(o, "acme-corp") : o;
      for (CampaignGrouping.Send s : g.observe(in)) {
        campaignsOf
            .computeIfAbsent(s.summary().accountId(), a -> new java.util.TreeSet<>())
            .add(s.campaignId());
      }
    }
    String swarm = g.campaignOf("swarm-0").orElseThrow();
    assertThat(swarm).isNotEqualTo(principal).startsWith("cmp-");
    assertThat(g.campaignOf("swarm-1")).contains(swarm);
    assertThat(campaignsOf.get("swarm-0")).containsExactlyInAnyOrder(swarm, principal);
    assertThat(campaignsOf.get("swarm-1")).containsExactly(swarm);
    // The principal carries no links: an organisation's accounts are never linked to each other.
    assertThat(g.observe(acme.apply("acme-1", 3)))
        .singleElement()
        .satisfies(s -> assertThat(s.links()).isEmpty());
  }

  @Test
  void aPrincipalDownToOneMemberIsFoundedAgainWhenItGrowsBack() {
    BoundedGrouping g =
        new BoundedGrouping(() -> POLICY, SwarmTraffic.CATEGORIES, GroupingBounds.accounts(1_000));
    String principal = io.distillguard.campaign.CampaignDetector.orgId("acme-corp");
    java.util.function.BiFunction<String, Long, AccountObservation> acme =
        (account, at) ->
            SwarmTraffic.observation(
                account + "-" + at, account, at, "math", List.of(), "acme-corp", null);
    g.observe(acme.apply("acme-0", TestFixtures.T0));
    assertThat(g.observe(acme.apply("acme-1", TestFixtures.T0 + 1))).hasSize(2);
    // acme-0 is erased: the organisation has one member left, then a new one joins.
    g.forgetAccount("acme-0");
    assertThat(g.observe(acme.apply("acme-1", TestFixtures.T0 + 2))).isEmpty();
    assertThat(g.observe(acme.apply("acme-2", TestFixtures.T0 + 3)))
        .extracting(s -> s.campaignId() + "/" + s.summary().accountId())
        .containsExactlyInAnyOrder(principal + "/acme-1", principal + "/acme-2");
  }

  @Test
  void twentyThousandAccountsOnOneAddressCostTheMaximumAndOneCappedKeyTable() {
    BoundedGrouping g =
        new BoundedGrouping(() -> POLICY, SwarmTraffic.CATEGORIES, GroupingBounds.accounts(1_000));
    List<String> keys =
        List.of(
            SwarmTraffic.HASHER.key(LinkType.IP, "198.51.100.1").wire(),
            SwarmTraffic.HASHER.key(LinkType.USER_AGENT, "python-requests/2.32").wire());
    for (int i = 0; i < 20_000; i++) {
      g.observe(
          SwarmTraffic.observation(
              "e" + i,
              "acct-" + i,
              TestFixtures.T0 + i * 1_000L,
              SwarmTraffic.CATEGORIES.get(i % 5),
              keys));
    }
    CampaignGrouping.Stats stats = g.stats();
    assertThat(stats.accounts()).isEqualTo(1_000);
    assertThat(stats.detectorAccounts()).isLessThanOrEqualTo(1_000);
    assertThat(stats.forgotten()).isEqualTo(19_000);
    assertThat(stats.linkKeys()).isEqualTo(2);
    // Two keys: each at most 256 members plus a 1 KiB sketch, or a bare stop-word.
    assertThat(stats.linkKeyBytes()).isLessThan(2 * 80_000L);
  }

  @Test
  void novelPromptsKeysAreBoundedByTheSingleMemberKeysTable() {
    BoundedGrouping g =
        new BoundedGrouping(
            () -> POLICY, SwarmTraffic.CATEGORIES, new GroupingBounds(1_000, 10_000));
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    String userAgent = SwarmTraffic.HASHER.key(LinkType.USER_AGENT, "sdk/1.2").wire();
    for (int i = 0; i < 20_000; i++) {
      // Each query a novel prompt: its 8 payload bands are seen by this account only.
      List<String> keys = new java.util.ArrayList<>(List.of(userAgent));
      for (int b = 0; b < 8; b++) {
        keys.add(
            SwarmTraffic.HASHER
                .key(LinkType.PAYLOAD_MINHASH_BAND, Long.toHexString(random.nextLong()))
                .wire());
      }
      g.observe(
          SwarmTraffic.observation(
              "e" + i,
              "acct-" + (i % 20),
              TestFixtures.T0 + i * 1_000L,
              SwarmTraffic.CATEGORIES.get(i % 5),
              keys));
    }
    CampaignGrouping.Stats stats = g.stats();
    // 160,000 payload bands seen: the one-account keys stop at the table's 10,000 entries, the
    // shared user agent has its member table.
    assertThat(stats.linkKeys()).isEqualTo(10_001);
    assertThat(stats.linkKeyBytes()).isLessThan(10_000L * 44 + 80_000L);
  }
}
