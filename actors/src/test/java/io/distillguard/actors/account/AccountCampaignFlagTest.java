package io.distillguard.actors.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.TestFixtures;
import io.distillguard.detect.AccountDetector;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An account flagged by its campaign, on the persistence test kit: the flag is a journaled fact,
 * the account's level is its own raised to the flag's, its own evidence goes on underneath, stale
 * or foreign words change nothing, and a recovery gives the flag back.
 */
class AccountCampaignFlagTest {

  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private static final List<Reason> SPLIT_SWEEP =
      List.of(new Reason("split-sweep", "complementarity", 7.6, 2.5));

  private EventSourcedBehaviorTestKit<AccountEntity.Command, AccountEntity.Event, AccountState> kit;

  @BeforeEach
  void setUp() {
    AccountDetector detector = TestFixtures.detector();
    kit =
        EventSourcedBehaviorTestKit.create(
            TEST_KIT.system(), AccountEntity.create("acct-1", detector, 1000, Clock.systemUTC()));
  }

  @AfterEach
  void tearDown() {
    kit.clear();
  }

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  private void record(AccountObservation o) {
    assertThat(
            kit.<StatusReply<Done>>runCommand(
                    replyTo -> new AccountEntity.RecordObservation(o, replyTo))
                .reply()
                .isSuccess())
        .isTrue();
  }

  private CommandResultWithReply<
          AccountEntity.Command, AccountEntity.Event, AccountState, StatusReply<Done>>
      flag(String campaign, Level level, long seq) {
    return kit.runCommand(
        replyTo ->
            new AccountEntity.FlagByCampaign(
                campaign, level, seq, SPLIT_SWEEP, TestFixtures.T0 + seq, replyTo));
  }

  private AccountStatus status() {
    return kit.<AccountStatus>runCommand(AccountEntity.GetStatus::new).reply();
  }

  @Test
  void aCampaignFlagRaisesTheLevelAboveTheAccountsOwnAndIsRecordedAsAFact() {
    List<AccountObservation> ordinary = TestFixtures.ordinary("acct-1", 6);
    record(ordinary.get(0));
    record(ordinary.get(1));

    var flagged = flag("cmp-1", Level.REVIEW, 5);
    assertThat(flagged.reply().isSuccess()).isTrue();
    AccountEntity.CampaignFlagged e = (AccountEntity.CampaignFlagged) flagged.events().get(0);
    assertThat(e.from()).isEqualTo(Level.OK);
    assertThat(e.to()).isEqualTo(Level.REVIEW);
    assertThat(e.escalation()).isTrue();
    assertThat(e.decision().reasons()).isEqualTo(SPLIT_SWEEP);
    assertThat(e.decision().throttle()).isEmpty();
    assertThat(e.signals().queriesObserved()).isEqualTo(2);
    assertThat(flagged.state().ownLevel()).isEqualTo(Level.OK);
    assertThat(status().level()).isEqualTo(Level.REVIEW);
    assertThat(status().campaignId()).isEqualTo("cmp-1");
    assertThat(status().openCase()).isTrue();

    // The same word again, an older one, and another campaign's lift change nothing.
    assertThat(flag("cmp-1", Level.REVIEW, 5).events()).isEmpty();
    assertThat(flag("cmp-1", Level.OK, 3).events()).isEmpty();
    assertThat(flag("cmp-2", Level.OK, 9).events()).isEmpty();
    assertThat(flag("cmp-1", Level.REVIEW, 6).events()).isEmpty();

    // The account's own evidence goes on under the flag, which every observation keeps.
    record(ordinary.get(2));
    record(ordinary.get(3));
    assertThat(status().queriesObserved()).isEqualTo(4);
    assertThat(status().level()).isEqualTo(Level.REVIEW);

    // A reviewer confirmed the campaign: THROTTLE, with the account's own throttle plan.
    var throttled = flag("cmp-1", Level.THROTTLE, 7);
    AccountEntity.CampaignFlagged t = (AccountEntity.CampaignFlagged) throttled.events().get(0);
    assertThat(t.from()).isEqualTo(Level.REVIEW);
    assertThat(t.to()).isEqualTo(Level.THROTTLE);
    assertThat(t.escalation()).isTrue();
    assertThat(t.decision().throttle()).isPresent();
    assertThat(t.decision().throttle().get().categoryShares()).isNotEmpty();

    // A recovery gives the flag back as recorded.
    AccountState before = kit.getState();
    var restarted = kit.restart();
    assertThat(restarted.state()).isEqualTo(before);
    assertThat(restarted.state().level()).isEqualTo(Level.THROTTLE);
    assertThat(restarted.state().campaign().campaignId()).isEqualTo("cmp-1");

    // The campaign is cleared: the flag is lifted, the account is back at its own level with its
    // own evidence intact.
    var lifted = flag("cmp-1", Level.OK, 9);
    AccountEntity.CampaignFlagged l = (AccountEntity.CampaignFlagged) lifted.events().get(0);
    assertThat(l.flag()).isNull();
    assertThat(l.from()).isEqualTo(Level.THROTTLE);
    assertThat(l.to()).isEqualTo(Level.OK);
    assertThat(l.escalation()).isFalse();
    assertThat(status().level()).isEqualTo(Level.OK);
    assertThat(status().campaignId()).isNull();
    assertThat(status().queriesObserved()).isEqualTo(4);
  }

  @Test
  void theAccountsOwnEvidenceStillEscalatesItAboveTheFlagAndAReviewersVerdictStands() {
    List<AccountObservation> own = TestFixtures.campaign("acct-1");
    record(own.get(0));
    assertThat(flag("cmp-1", Level.REVIEW, 1).state().level()).isEqualTo(Level.REVIEW);
    for (AccountObservation o : own.subList(1, own.size())) {
      record(o);
    }
    // Its own rules reached THROTTLE (member-level evidence): the flag does not hold it down.
    assertThat(kit.getState().ownLevel()).isEqualTo(Level.THROTTLE);
    assertThat(status().level()).isEqualTo(Level.THROTTLE);

    var reviewed =
        kit.<StatusReply<AccountStatus>>runCommand(
            replyTo -> new AccountEntity.ReviewAccount(Level.CLEARED, "ana", "ok", replyTo));
    assertThat(reviewed.reply().getValue().level()).isEqualTo(Level.CLEARED);
    assertThat(reviewed.reply().getValue().campaignId()).isEqualTo("cmp-1");
    // A later flag from a campaign does not override a reviewer's verdict on the account.
    flag("cmp-1", Level.THROTTLE, 2);
    assertThat(status().level()).isEqualTo(Level.CLEARED);
  }

  @Test
  void aFlagFromTheCampaignAGroupMergedIntoReplacesTheOldOneUnlessLower() {
    record(TestFixtures.ordinary("acct-1", 1).get(0));
    flag("cmp-a", Level.THROTTLE, 4);
    assertThat(flag("cmp-b", Level.REVIEW, 8).events()).isEmpty();
    assertThat(status().campaignId()).isEqualTo("cmp-a");
    flag("cmp-a", Level.OK, 5);
    assertThat(flag("cmp-b", Level.REVIEW, 9).events()).hasSize(1);
    assertThat(status().campaignId()).isEqualTo("cmp-b");
    assertThat(status().level()).isEqualTo(Level.REVIEW);
  }

  /**
   * An account of a declared organisation linked to a campaign beside it holds a flag from each:
   * its level is the higher, clearing one campaign leaves the other's flag, and the organisation's
   * word never replaces the linked campaign's (nor the other way round).
   */
  @Test
  void aDeclaredOrganisationsFlagIsHeldBesideTheLinkedCampaignsFlag() {
    String org = io.distillguard.campaign.CampaignDetector.orgId("acme-corp");
    record(TestFixtures.ordinary("acct-1", 1).get(0));
    var linked = flag("cmp-a", Level.REVIEW, 4);
    assertThat(linked.events()).hasSize(1);
    var byOrg = flag(org, Level.REVIEW, 2);
    assertThat(byOrg.events()).hasSize(1);
    AccountEntity.CampaignFlagged o = (AccountEntity.CampaignFlagged) byOrg.events().get(0);
    assertThat(o.flag().campaignId()).isEqualTo(org);
    assertThat(o.from()).isEqualTo(Level.REVIEW);
    assertThat(o.to()).isEqualTo(Level.REVIEW);
    assertThat(o.escalation()).isFalse();
    assertThat(o.heldFlag().campaignId()).isEqualTo("cmp-a"); // the linked one on a tie
    assertThat(kit.getState().campaign().campaignId()).isEqualTo("cmp-a");
    assertThat(kit.getState().organisation().campaignId()).isEqualTo(org);

    // A reviewer confirms the organisation's case: its THROTTLE is the higher flag now.
    var confirmed = flag(org, Level.THROTTLE, 3);
    AccountEntity.CampaignFlagged t = (AccountEntity.CampaignFlagged) confirmed.events().get(0);
    assertThat(t.to()).isEqualTo(Level.THROTTLE);
    assertThat(t.escalation()).isTrue();
    assertThat(t.heldFlag().campaignId()).isEqualTo(org);
    assertThat(status().campaignId()).isEqualTo(org);

    // The linked campaign is cleared: its flag goes, the organisation's stays.
    var cleared = flag("cmp-a", Level.OK, 6);
    AccountEntity.CampaignFlagged c = (AccountEntity.CampaignFlagged) cleared.events().get(0);
    assertThat(c.flag()).isNull();
    assertThat(c.from()).isEqualTo(Level.THROTTLE);
    assertThat(c.to()).isEqualTo(Level.THROTTLE);
    assertThat(c.heldFlag().campaignId()).isEqualTo(org);
    assertThat(kit.getState().campaign()).isNull();
    assertThat(status().level()).isEqualTo(Level.THROTTLE);

    // A recovery (the state serialized, the journal replayed) gives both slots back as recorded.
    flag("cmp-b", Level.REVIEW, 9);
    AccountState before = kit.getState();
    var restarted = kit.restart();
    assertThat(restarted.state()).isEqualTo(before);
    assertThat(restarted.state().campaign().campaignId()).isEqualTo("cmp-b");
    assertThat(restarted.state().organisation().level()).isEqualTo(Level.THROTTLE);

    // The organisation is cleared: back to the linked campaign's REVIEW, not to OK.
    var orgCleared = flag(org, Level.OK, 7);
    AccountEntity.CampaignFlagged oc = (AccountEntity.CampaignFlagged) orgCleared.events().get(0);
    assertThat(oc.to()).isEqualTo(Level.REVIEW);
    assertThat(oc.heldFlag().campaignId()).isEqualTo("cmp-b");
    assertThat(status().level()).isEqualTo(Level.REVIEW);
    assertThat(status().campaignId()).isEqualTo("cmp-b");
  }

  @Test
  void anEventOfTheSingleFlagReadsAsTheLinkedCampaignsFlag() {
    // Journaled before an account could hold two flags: no held flag, the flag was the only one.
    AccountEntity.CampaignFlag flag = new AccountEntity.CampaignFlag("cmp-a", Level.REVIEW, 4, 1L);
    AccountEntity.CampaignFlagged old =
        new AccountEntity.CampaignFlagged(
            flag, "cmp-a", Level.OK, Level.REVIEW, null, null, true, null);
    assertThat(old.heldFlag()).isEqualTo(flag);
    AccountEntity.CampaignFlagged lifted =
        new AccountEntity.CampaignFlagged(
            null, "cmp-a", Level.REVIEW, Level.OK, null, null, false, null);
    assertThat(lifted.heldFlag()).isNull();
  }

  @Test
  void aFlagOnItsWayWhenTheAccountIsErasedDoesNotStartANewHistory() {
    List<AccountObservation> ordinary = TestFixtures.ordinary("acct-1", 3);
    record(ordinary.get(0));
    assertThat(flag("cmp-1", Level.REVIEW, 5).events()).hasSize(1);

    var erased = kit.<StatusReply<Long>>runCommand(AccountEntity.EraseAccount::new);
    long marker = erased.reply().getValue();
    assertThat(erased.events()).hasSize(1).first().isInstanceOf(AccountEntity.AccountErased.class);

    // The campaign's next word was read before the erasure and arrives after the marker.
    var late = flag("cmp-1", Level.THROTTLE, 7);
    assertThat(late.reply().isSuccess()).isTrue(); // acknowledged, so its row goes
    assertThat(late.hasNoEvents()).isTrue();
    assertThat(status().campaignId()).isNull();
    assertThat(status().level()).isEqualTo(Level.OK);
    assertThat(kit.restart().state().campaign()).isNull();
    assertThat(
            kit.persistenceTestKit().persistedInStorage(AccountEntity.persistenceId("acct-1").id()))
        .hasSize((int) marker);

    // An account that comes back with traffic of its own can be flagged again.
    record(ordinary.get(1));
    assertThat(flag("cmp-1", Level.REVIEW, 9).events()).hasSize(1);
  }

  private void erase() {
    assertThat(
            kit.<StatusReply<Long>>runCommand(AccountEntity.EraseAccount::new).reply().isSuccess())
        .isTrue();
  }

  private CommandResultWithReply<
          AccountEntity.Command, AccountEntity.Event, AccountState, StatusReply<Done>>
      campaignsErased(java.util.Map<String, Long> facts) {
    return kit.runCommand(replyTo -> new AccountEntity.CampaignsErased(facts, replyTo));
  }

  /**
   * An erased account sends new traffic before a word its campaign decided about the erased history
   * arrives: the word is refused while the erasure runs (its delivery keeps it; the erasure deletes
   * it), and ignored once the erasure has said which campaigns were restated without the account by
   * which fact. A word the campaign decides after that fact (the new history linked to it again)
   * flags the account as before.
   */
  @Test
  void anErasedAccountsNewHistoryTakesNoWordDecidedBeforeItsErasure() {
    List<AccountObservation> traffic = TestFixtures.ordinary("acct-1", 6);
    record(traffic.get(0));
    record(traffic.get(1));
    assertThat(flag("cmp-1", Level.REVIEW, 5).events()).hasSize(1);

    erase();
    record(traffic.get(2)); // the new history, before the campaign's word in flight lands
    var during = flag("cmp-1", Level.THROTTLE, 7);
    assertThat(during.reply().isError()).isTrue();
    assertThat(during.events()).isEmpty();

    // The campaign was restated without the account by its journal event 9.
    var completed = campaignsErased(java.util.Map.of("cmp-1", 9L));
    assertThat(completed.reply().isSuccess()).isTrue();
    assertThat(completed.events()).isEmpty(); // the new history holds no flag to lift

    var late = flag("cmp-1", Level.THROTTLE, 7);
    assertThat(late.reply().isSuccess()).isTrue();
    assertThat(late.events()).isEmpty();
    assertThat(status().level()).isEqualTo(Level.OK);
    assertThat(status().campaignId()).isNull();
    assertThat(status().queriesObserved()).isEqualTo(1);

    // A word the campaign decided after its erasure fact is about the new history: it counts.
    var fresh = flag("cmp-1", Level.REVIEW, 12);
    assertThat(fresh.events()).hasSize(1);
    assertThat(status().level()).isEqualTo(Level.REVIEW);
    assertThat(status().campaignId()).isEqualTo("cmp-1");
  }

  /**
   * The entity restarted between the erasure marker and the campaigns' facts (it forgot that an
   * erasure was running), took a word about the erased history, and lifts it when the facts come.
   */
  @Test
  void aWordTakenBeforeTheErasureCompletedIsLiftedByIt() {
    restartedWhileErasing();
    assertThat(flag("cmp-1", Level.REVIEW, 5).events()).hasSize(1);
    assertThat(status().campaignId()).isEqualTo("cmp-1");

    var completed = campaignsErased(java.util.Map.of("cmp-1", 9L, "cmp-2", 4L));
    assertThat(completed.events()).hasSize(1);
    AccountEntity.CampaignFlagged lifted =
        (AccountEntity.CampaignFlagged) completed.events().get(0);
    assertThat(lifted.flag()).isNull();
    assertThat(lifted.to()).isEqualTo(Level.OK);
    assertThat(status().level()).isEqualTo(Level.OK);
    assertThat(status().campaignId()).isNull();
    assertThat(flag("cmp-1", Level.REVIEW, 8).events()).isEmpty();
  }

  /**
   * The entity records a query, starts erasing, records another and restarts before the campaigns'
   * facts of the erasure come: it no longer knows that an erasure is running.
   */
  private void restartedWhileErasing() {
    List<AccountObservation> traffic = TestFixtures.ordinary("acct-1", 6);
    record(traffic.get(0));
    erase();
    record(traffic.get(1));
    kit.restart();
  }

  @Test
  void bothFlagsTakenBeforeTheErasureCompletedAreLiftedByIt() {
    String org = io.distillguard.campaign.CampaignDetector.orgId("acme-corp");
    restartedWhileErasing();
    assertThat(flag("cmp-1", Level.REVIEW, 5).events()).hasSize(1);
    assertThat(flag(org, Level.REVIEW, 3).events()).hasSize(1);

    var completed = campaignsErased(java.util.Map.of("cmp-1", 9L, org, 4L));
    assertThat(completed.events()).hasSize(2);
    assertThat(completed.events())
        .extracting(e -> ((AccountEntity.CampaignFlagged) e).campaignId())
        .containsExactly("cmp-1", org);
    AccountEntity.CampaignFlagged last = (AccountEntity.CampaignFlagged) completed.events().get(1);
    assertThat(last.to()).isEqualTo(Level.OK);
    assertThat(last.heldFlag()).isNull();
    assertThat(kit.getState().flags()).isEmpty();
    assertThat(status().level()).isEqualTo(Level.OK);
  }
}
