package io.distillguard.actors.account;

import static io.distillguard.actors.TestFixtures.campaign;
import static io.distillguard.actors.TestFixtures.observation;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.TestFixtures;
import io.distillguard.detect.AccountDetector;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import io.distillguard.policy.Policy;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountEntityTest {

  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config());

  /** The ladder policy with every threshold out of reach: under it nothing fires. */
  private static final Policy STRICT =
      Policy.parse(
          TestFixtures.POLICY_YAML
              .replace("test-ladder-1", "test-strict-2")
              .replace("threshold: 2}", "threshold: 20}")
              .replace("threshold: 3}", "threshold: 21}")
              .replace("threshold: 4}", "threshold: 22}"),
          "strict");

  private final AtomicReference<Policy> policy = new AtomicReference<>(TestFixtures.POLICY);
  private EventSourcedBehaviorTestKit<AccountEntity.Command, AccountEntity.Event, AccountState> kit;

  @BeforeEach
  void setUp() {
    kit = kit(3);
  }

  private EventSourcedBehaviorTestKit<AccountEntity.Command, AccountEntity.Event, AccountState> kit(
      int snapshotEvery) {
    AccountDetector detector = new AccountDetector(policy::get, TestFixtures.CATEGORIES);
    return EventSourcedBehaviorTestKit.create(
        TEST_KIT.system(),
        AccountEntity.create("acct-1", detector, snapshotEvery, Clock.systemUTC()));
  }

  @AfterEach
  void tearDown() {
    kit.clear();
  }

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  private CommandResultWithReply<
          AccountEntity.Command, AccountEntity.Event, AccountState, StatusReply<Done>>
      record(AccountObservation o) {
    return kit.runCommand(replyTo -> new AccountEntity.RecordObservation(o, replyTo));
  }

  /** The facts of {@code events}, a chunk's in order. */
  static List<AccountEntity.Event> facts(List<AccountEntity.Event> events) {
    return events.stream().flatMap(e -> AccountEntity.ObservationsRecorded.of(e).stream()).toList();
  }

  @Test
  void campaignLinkKeysStayOutOfTheAccountJournal() {
    AccountObservation o =
        campaign("acct-1")
            .get(0)
            .withLinkKeys(new String[] {"ip:0123456789abcdef"}, "0123456789abcdef");
    AccountEntity.ObservationRecorded recorded =
        (AccountEntity.ObservationRecorded) record(o).events().get(0);
    assertThat(recorded.observation().linkKeys()).isNull();
    assertThat(recorded.observation().clientIp()).isEqualTo("0123456789abcdef");
  }

  @Test
  void aBatchPersistsTheSameEventsAndStateAsOneObservationAtATime() {
    List<AccountObservation> obs = campaign("acct-1");
    List<AccountEntity.Event> oneByOne = new java.util.ArrayList<>();
    AccountState single = null;
    for (AccountObservation o : obs) {
      var result = record(o);
      oneByOne.addAll(facts(result.events()));
      single = result.state();
    }
    kit.clear();

    // The first three, then all of them again with a repeat inside: the batch counts each once.
    var first =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new AccountEntity.RecordObservations(obs.subList(0, 3), replyTo));
    List<AccountObservation> rest = new java.util.ArrayList<>(obs);
    rest.add(4, obs.get(4));
    var second =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new AccountEntity.RecordObservations(rest, replyTo));

    assertThat(first.reply().isSuccess()).isTrue();
    assertThat(second.reply().isSuccess()).isTrue();
    // One journal event per batch, holding exactly the facts the observations made one by one.
    assertThat(first.events())
        .singleElement()
        .isInstanceOf(AccountEntity.ObservationsRecorded.class);
    assertThat(second.events())
        .singleElement()
        .isInstanceOf(AccountEntity.ObservationsRecorded.class);
    List<AccountEntity.Event> batched = new java.util.ArrayList<>(facts(first.events()));
    batched.addAll(facts(second.events()));
    assertThat(batched).isEqualTo(oneByOne);
    assertThat(second.state()).isEqualTo(single);
    assertThat(second.state().level()).isEqualTo(Level.THROTTLE);
    assertThat(second.state().queriesObserved()).isEqualTo(obs.size());

    // Recovered from the journal, the batched history gives the same state.
    kit.restart();
    assertThat(kit.getState()).isEqualTo(single);
  }

  @Test
  void aBatchWithAnotherAccountsObservationIsRefusedWhole() {
    List<AccountObservation> obs = new java.util.ArrayList<>(campaign("acct-1").subList(0, 2));
    obs.add(campaign("acct-2").get(0));
    var result =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new AccountEntity.RecordObservations(obs, replyTo));
    assertThat(result.reply().isError()).isTrue();
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void walksTheLifecycleAndRecordsEveryDecisionWithItsPolicyVersion() {
    List<AccountObservation> obs = campaign("acct-1");
    Level[] expected = {
      Level.OK,
      Level.OK,
      Level.OK,
      Level.WATCH,
      Level.WATCH,
      Level.REVIEW,
      Level.REVIEW,
      Level.THROTTLE
    };
    for (int i = 0; i < obs.size(); i++) {
      var result = record(obs.get(i));
      assertThat(result.reply().isSuccess()).isTrue();
      assertThat(result.state().level()).as("after observation %d", i + 1).isEqualTo(expected[i]);
      boolean changes = i == 3 || i == 5 || i == 7;
      // One journal event either way: a level change goes into one chunk with its observation.
      assertThat(result.events()).hasSize(1);
      List<AccountEntity.Event> facts = facts(result.events());
      assertThat(facts).hasSize(changes ? 2 : 1);
      AccountEntity.ObservationRecorded recorded = (AccountEntity.ObservationRecorded) facts.get(0);
      assertThat(recorded.queriesObserved()).isEqualTo(i + 1);
      assertThat(recorded.hysteresis().level()).isEqualTo(expected[i]);
      if (changes) {
        AccountEntity.LevelChanged lc = (AccountEntity.LevelChanged) facts.get(1);
        assertThat(lc.to()).isEqualTo(expected[i]);
        assertThat(lc.eventId()).isEqualTo(obs.get(i).eventId());
        assertThat(lc.decision().reasons()).isNotEmpty();
        assertThat(lc.policyVersion()).isEqualTo("test-ladder-1");
        assertThat(lc.escalation()).isTrue();
        assertThat(recorded.decision()).isEqualTo(lc.decision());
        assertThat(recorded.policyVersion()).isEqualTo("test-ladder-1");
      }
    }
    assertThat(kit.getState().policyVersion()).isEqualTo("test-ladder-1");
    assertThat(kit.getState().decision().throttle()).isPresent();
  }

  @Test
  void aRecoveryAfterAPolicyChangeGivesBackTheRecordedDecisions() {
    kit.clear();
    // No snapshot: the whole state comes back through the event handler.
    kit = kit(1000);
    campaign("acct-1").forEach(this::record);
    AccountState before = kit.getState();
    assertThat(before.level()).isEqualTo(Level.THROTTLE);

    // Under the new policy none of this traffic would fire a rule; the recorded decisions stand.
    policy.set(STRICT);
    var restarted = kit.restart();
    assertThat(restarted.state()).isEqualTo(before);
    assertThat(restarted.state().level()).isEqualTo(Level.THROTTLE);
    assertThat(restarted.state().policyVersion()).isEqualTo("test-ladder-1");
    assertThat(restarted.state().decision()).isEqualTo(before.decision());

    // The next observation is decided under the policy in force now, and says so.
    var next =
        record(observation("after-reload", "acct-1", TestFixtures.T0 + 60_000, "arithmetic"));
    AccountEntity.ObservationRecorded recorded =
        (AccountEntity.ObservationRecorded) next.events().get(0);
    assertThat(recorded.policyVersion()).isEqualTo("test-strict-2");
    assertThat(recorded.decision().level()).isEqualTo(Level.OK);
    assertThat(next.state().policyVersion()).isEqualTo("test-strict-2");
    // THROTTLE has no release time in this policy: the open case stays until a reviewer decides.
    assertThat(next.state().level()).isEqualTo(Level.THROTTLE);
  }

  @Test
  void aRepeatedEventIdIsAcknowledgedButNotCounted() {
    AccountObservation o = observation("dup-1", "acct-1", TestFixtures.T0, "arithmetic");
    assertThat(record(o).events()).hasSize(1);
    var again = record(o);
    assertThat(again.reply().isSuccess()).isTrue();
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.state().queriesObserved()).isEqualTo(1);
  }

  @Test
  void aReplayOfThousandsOfEventsCountsNoneTwice() {
    kit.clear();
    kit = kit(500);
    // 2,000 events within 20 s of event time, then the same again (a consumer reset to an old
    // offset): every replayed id is recognised, however many came in between.
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 2_000; i++) {
        var r =
            record(
                observation(
                    "burst-" + i,
                    "acct-1",
                    TestFixtures.T0 + i * 10L,
                    TestFixtures.CATEGORIES.get(i % 3)));
        assertThat(r.reply().isSuccess()).isTrue();
        assertThat(r.hasNoEvents()).isEqualTo(round == 1);
      }
    }
    assertThat(kit.getState().queriesObserved()).isEqualTo(2_000);
    // The dedupe state survives recovery.
    assertThat(kit.restart().state().seen().size()).isEqualTo(2_000);
    assertThat(
            record(observation("burst-3", "acct-1", TestFixtures.T0 + 30, "arithmetic"))
                .hasNoEvents())
        .isTrue();
  }

  @Test
  void anObservationForAnotherAccountIsRejected() {
    var result = record(observation("x-1", "acct-2", TestFixtures.T0, "arithmetic"));
    assertThat(result.reply().isError()).isTrue();
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void aClearedAccountIsNotReEscalatedOnTheSameEvidence() {
    campaign("acct-1").forEach(this::record);
    var review =
        kit.<StatusReply<AccountStatus>>runCommand(
            replyTo ->
                new AccountEntity.ReviewAccount(Level.CLEARED, "ana", "known partner", replyTo));
    assertThat(review.reply().isSuccess()).isTrue();
    assertThat(review.reply().getValue().level()).isEqualTo(Level.CLEARED);
    AccountEntity.Reviewed reviewed = review.eventOfType(AccountEntity.Reviewed.class);
    assertThat(reviewed.reviewer()).isEqualTo("ana");
    assertThat(reviewed.queriesObserved()).isEqualTo(8);
    assertThat(reviewed.signals()).isNotNull();

    // More of the same traffic: still CLEARED, no new level change.
    for (int i = 0; i < 6; i++) {
      var r =
          record(
              observation(
                  "more-" + i,
                  "acct-1",
                  TestFixtures.T0 + 10_000 + i,
                  TestFixtures.CATEGORIES.get(i % 4)));
      assertThat(r.state().level()).isEqualTo(Level.CLEARED);
      assertThat(r.events()).singleElement().isInstanceOf(AccountEntity.ObservationRecorded.class);
    }
  }

  @Test
  void reviewsNeedAKnownAccountAndAVerdict() {
    var unknown =
        kit.<StatusReply<AccountStatus>>runCommand(
            replyTo -> new AccountEntity.ReviewAccount(Level.CLEARED, "ana", null, replyTo));
    assertThat(unknown.reply().isError()).isTrue();
    record(observation("e-1", "acct-1", TestFixtures.T0, "arithmetic"));
    var wrong =
        kit.<StatusReply<AccountStatus>>runCommand(
            replyTo -> new AccountEntity.ReviewAccount(Level.THROTTLE, "ana", null, replyTo));
    assertThat(wrong.reply().isError()).isTrue();
    var confirmed =
        kit.<StatusReply<AccountStatus>>runCommand(
            replyTo -> new AccountEntity.ReviewAccount(Level.CONFIRMED, "bo", "abuse", replyTo));
    assertThat(confirmed.reply().getValue().level()).isEqualTo(Level.CONFIRMED);
    assertThat(confirmed.reply().getValue().reviewNote()).isEqualTo("abuse");
  }

  @Test
  void recoversTheSameStateFromSnapshotAndEvents() {
    campaign("acct-1").forEach(this::record);
    AccountState before = kit.getState();
    var restarted = kit.restart();
    assertThat(restarted.state()).isEqualTo(before);
    assertThat(restarted.state().level()).isEqualTo(Level.THROTTLE);
    assertThat(restarted.state().queriesObserved()).isEqualTo(8);
    // The recovered state still recognises event ids it has seen.
    assertThat(record(campaign("acct-1").get(7)).hasNoEvents()).isTrue();
    var status = kit.<AccountStatus>runCommand(AccountEntity.GetStatus::new);
    assertThat(status.reply().level()).isEqualTo(Level.THROTTLE);
    assertThat(status.reply().openCase()).isTrue();
    assertThat(status.reply().reasons()).isNotEmpty();
    assertThat(status.reply().signals()).containsKey("distinct_categories");
  }
}
