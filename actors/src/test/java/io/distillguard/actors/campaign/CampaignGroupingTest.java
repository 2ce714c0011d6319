package io.distillguard.actors.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The grouping is told a chunk of observations at a time: it groups them as it would one by one,
 * answers each member's latest record once, and one account whose grouping fails costs none of the
 * others their grouping or their records.
 */
class CampaignGroupingTest {

  private static final ActorTestKit TEST_KIT = ActorTestKit.create();
  private static final Policy POLICY = Policy.loadDefault();

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  @Test
  void aChunkIsGroupedAsItsObservationsOneByOneWithEachMembersLatestRecordOnce() {
    List<AccountObservation> traffic = new ArrayList<>(SwarmTraffic.swarm("swarm-", 6, 12));
    traffic.addAll(SwarmTraffic.loner("loner", 12, traffic.get(0).eventTimeMillis()));
    traffic.sort(java.util.Comparator.comparingLong(AccountObservation::eventTimeMillis));

    // One by one, as the intake routed before: the last record per campaign and member, in the
    // order members first needed one.
    BoundedGrouping oneByOne =
        new BoundedGrouping(() -> POLICY, SwarmTraffic.CATEGORIES, GroupingBounds.accounts(1_000));
    Map<String, CampaignGrouping.Send> expected = new LinkedHashMap<>();
    int records = 0;
    for (AccountObservation o : traffic) {
      for (CampaignGrouping.Send s : oneByOne.observe(o)) {
        expected.put(s.campaignId() + "/" + s.summary().accountId(), s);
        records++;
      }
    }

    ActorRef<CampaignGrouping.Command> grouping = spawn();
    CampaignGrouping.Routed routed = observe(grouping, traffic);

    assertThat(routed.failedAccounts()).isEmpty();
    // The same members of the same campaign in the same order, each with its summary after all of
    // its observations (its links as the chunk left them).
    assertThat(routed.sends())
        .extracting(CampaignGrouping.Send::campaignId, CampaignGrouping.Send::summary)
        .containsExactlyElementsOf(
            expected.values().stream()
                .map(s -> org.assertj.core.groups.Tuple.tuple(s.campaignId(), s.summary()))
                .toList());
    assertThat(routed.sends()).allSatisfy(s -> assertThat(s.links()).isNotEmpty());
    assertThat(routed.sends()).hasSize(6).hasSizeLessThan(records);
    assertThat(routed.sends())
        .extracting(s -> s.summary().accountId())
        .doesNotContain("loner")
        .containsExactlyInAnyOrder(
            "swarm-0", "swarm-1", "swarm-2", "swarm-3", "swarm-4", "swarm-5");
    assertThat(routed.sends()).allSatisfy(s -> assertThat(s.summary().queries()).isEqualTo(12));
    String campaign = oneByOne.campaignOf("swarm-0").orElseThrow();
    for (int m = 0; m < 6; m++) {
      assertThat(membership(grouping, "swarm-" + m)).isEqualTo(campaign);
    }
    assertThat(membership(grouping, "loner")).isNull();
    assertThat(stats(grouping)).isEqualTo(oneByOne.stats());
  }

  @Test
  void anAccountWhoseGroupingFailsCostsTheOthersNothing() {
    List<AccountObservation> swarm = SwarmTraffic.swarm("ok-", 4, 10);
    List<AccountObservation> chunk = new ArrayList<>(swarm);
    // A link key that is no string at all: grouping this observation throws.
    AccountObservation broken =
        withLinkKeys(SwarmTraffic.loner("broken", 2, TestFixtures.T0).get(0), null);
    AccountObservation brokenLater = SwarmTraffic.loner("broken", 2, TestFixtures.T0).get(1);
    chunk.add(swarm.size() / 2, broken);
    chunk.add(swarm.size() / 2 + 1, brokenLater);

    ActorRef<CampaignGrouping.Command> grouping = spawn();
    CampaignGrouping.Routed routed = observe(grouping, chunk);

    assertThat(routed.failedAccounts()).containsExactly("broken");
    assertThat(routed.sends())
        .extracting(s -> s.summary().accountId())
        .containsExactlyInAnyOrder("ok-0", "ok-1", "ok-2", "ok-3");
    // The grouping was not restarted: what it learned before the failure is still there, and the
    // account's observations after the failing one in the chunk were left out.
    String campaign = membership(grouping, "ok-0");
    assertThat(campaign).isNotNull();
    assertThat(membership(grouping, "ok-3")).isEqualTo(campaign);
    assertThat(stats(grouping).accounts()).isEqualTo(4);

    // The next chunk of the failed account is grouped as usual.
    CampaignGrouping.Routed next =
        observe(grouping, SwarmTraffic.loner("broken", 3, TestFixtures.T0).subList(2, 3));
    assertThat(next.failedAccounts()).isEmpty();
    assertThat(stats(grouping).accounts()).isEqualTo(5);
  }

  @Test
  void aStartingGroupingRecoversEscalatedAccountsOwnLevelsAndSendsThemWithTheirRecords() {
    // What the account index holds for escalated accounts (a grouping that stopped was handed
    // them once and is not handed them again).
    CampaignGrouping.MembershipSource source =
        new CampaignGrouping.MembershipSource() {
          @Override
          public java.util.concurrent.CompletionStage<Map<String, String>> load() {
            return java.util.concurrent.CompletableFuture.completedFuture(Map.of());
          }

          @Override
          public java.util.concurrent.CompletionStage<Map<String, Level>> ownLevels() {
            return java.util.concurrent.CompletableFuture.completedFuture(
                Map.of("swarm-0", Level.REVIEW, "swarm-1", Level.CONFIRMED));
          }
        };
    ActorRef<CampaignGrouping.Command> grouping =
        TEST_KIT.spawn(
            CampaignGrouping.create(
                () -> POLICY, SwarmTraffic.CATEGORIES, GroupingBounds.accounts(1_000), source));
    CampaignGrouping.Routed routed = observe(grouping, SwarmTraffic.swarm("swarm-", 6, 12));

    Map<String, Level> sent = new LinkedHashMap<>();
    for (CampaignGrouping.Send s : routed.sends()) {
      sent.put(s.summary().accountId(), s.summary().ownLevel());
    }
    assertThat(sent)
        .containsEntry("swarm-0", Level.REVIEW)
        .containsEntry("swarm-1", Level.CONFIRMED);
    assertThat(sent.get("swarm-2")).isNull();
  }

  private static ActorRef<CampaignGrouping.Command> spawn() {
    return TEST_KIT.spawn(
        CampaignGrouping.create(
            () -> POLICY, SwarmTraffic.CATEGORIES, GroupingBounds.accounts(1_000)));
  }

  private static CampaignGrouping.Routed observe(
      ActorRef<CampaignGrouping.Command> grouping, List<AccountObservation> chunk) {
    TestProbe<CampaignGrouping.Routed> probe = TEST_KIT.createTestProbe();
    grouping.tell(new CampaignGrouping.Observe(chunk, probe.ref()));
    return probe.receiveMessage();
  }

  private static String membership(ActorRef<CampaignGrouping.Command> grouping, String account) {
    TestProbe<CampaignGrouping.Membership> probe = TEST_KIT.createTestProbe();
    grouping.tell(new CampaignGrouping.CampaignOf(account, probe.ref()));
    return probe.receiveMessage().campaignId();
  }

  private static CampaignGrouping.Stats stats(ActorRef<CampaignGrouping.Command> grouping) {
    TestProbe<CampaignGrouping.Stats> probe = TEST_KIT.createTestProbe();
    grouping.tell(new CampaignGrouping.GetStats(probe.ref()));
    return probe.receiveMessage();
  }

  /** {@code o} carrying only {@code key}, without a sign-up time. */
  private static AccountObservation withLinkKeys(AccountObservation o, String key) {
    return o.withLinkKeys(new String[] {key}, o.clientIp()).withSignupMillis(null);
  }
}
