package io.distillguard.actors.account;

import static io.distillguard.actors.TestFixtures.campaign;
import static io.distillguard.actors.TestFixtures.detector;
import static io.distillguard.actors.TestFixtures.observation;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.AccountStatus;
import io.distillguard.actors.StateDatabase;
import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.escalation.Delivery;
import io.distillguard.actors.escalation.Escalations;
import io.distillguard.actors.escalation.Outbox;
import io.distillguard.actors.throttle.ThrottleBoard;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

class AccountEntityTest {

  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config());

  @TempDir Path dir;
  private StateDatabase db;
  private Outbox outbox;
  private ThrottleBoard throttles;
  private EventSourcedBehaviorTestKit<
          AccountEntity.Command, AccountEntity.Event, AccountEntity.State>
      kit;

  @BeforeEach
  void setUp() {
    db = StateDatabase.open("jdbc:h2:file:" + dir.resolve("state").toAbsolutePath(), "sa", "");
    outbox = new Outbox(db);
    throttles = new ThrottleBoard(db);
    Escalations escalations =
        new Escalations(
            db, outbox, throttles, new AccountIndex(db), true, true, Clock.systemUTC(), () -> {});
    kit =
        EventSourcedBehaviorTestKit.create(
            TEST_KIT.system(),
            AccountEntity.create("acct-1", detector(), escalations, 3, Clock.systemUTC()));
  }

  @AfterEach
  void tearDown() {
    kit.clear();
    db.close();
  }

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  private CommandResultWithReply<
          AccountEntity.Command, AccountEntity.Event, AccountEntity.State, StatusReply<Done>>
      record(AccountObservation o) {
    return kit.runCommand(replyTo -> new AccountEntity.RecordObservation(o, replyTo));
  }

  @Test
  void walksTheLifecycleAndPutsEveryEscalationInTheOutbox() {
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
      assertThat(result.events()).hasSize(changes ? 2 : 1);
      assertThat(result.events().get(0)).isInstanceOf(AccountEntity.ObservationRecorded.class);
      if (changes) {
        AccountEntity.LevelChanged lc = (AccountEntity.LevelChanged) result.events().get(1);
        assertThat(lc.to()).isEqualTo(expected[i]);
        assertThat(lc.eventId()).isEqualTo(obs.get(i).eventId());
        assertThat(lc.decision().reasons()).isNotEmpty();
      }
    }
    List<Delivery> deliveries = outbox.list(null, 100);
    assertThat(deliveries)
        .extracting(Delivery::eventType)
        .containsExactlyInAnyOrder(
            Escalations.REVIEW_REQUESTED,
            Escalations.REVIEW_REQUESTED,
            Escalations.REVIEW_REQUESTED,
            Escalations.THROTTLED);
    assertThat(deliveries).allMatch(d -> d.status() == Delivery.Status.PENDING);
    assertThat(throttles.active(System.currentTimeMillis()))
        .singleElement()
        .satisfies(d -> assertThat(d.categories()).isNotEmpty());
    Delivery throttle =
        deliveries.stream()
            .filter(d -> d.eventType().equals(Escalations.THROTTLED))
            .findFirst()
            .orElseThrow();
    assertThat(throttle.body())
        .contains("\"type\":\"account.throttled\"", "\"throttle\":{\"categories\":", "expires_at");
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
    assertThat(review.eventOfType(AccountEntity.Reviewed.class).reviewer()).isEqualTo("ana");
    assertThat(throttles.active(System.currentTimeMillis())).isEmpty();
    assertThat(outbox.list(null, 100))
        .extracting(Delivery::eventType)
        .contains(Escalations.CLEARED);

    // More of the same traffic: still CLEARED, no new escalation.
    int before = outbox.list(null, 100).size();
    for (int i = 0; i < 6; i++) {
      var r =
          record(
              observation(
                  "more-" + i,
                  "acct-1",
                  TestFixtures.T0 + 10_000 + i,
                  TestFixtures.CATEGORIES.get(i % 4)));
      assertThat(r.state().level()).isEqualTo(Level.CLEARED);
    }
    assertThat(outbox.list(null, 100)).hasSize(before);
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
    AccountEntity.State before = kit.getState();
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
