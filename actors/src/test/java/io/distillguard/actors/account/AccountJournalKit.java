package io.distillguard.actors.account;

import static io.distillguard.actors.TestFixtures.campaign;
import static io.distillguard.actors.TestFixtures.ordinary;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.detect.AccountDetector;
import io.distillguard.observe.AccountObservation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the tests of the account journal's forms share, as a JUnit 5 extension on a static field: an
 * actor test kit with the in-memory journal (shut down after the class), account entities on it,
 * the configured serializers, and folding a journal into the state it recovers.
 */
final class AccountJournalKit implements AfterAllCallback {

  private final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private final Serialization serialization =
      SerializationExtension.get(testKit.system().classicSystem());

  /** The serializers the actor system is configured with. */
  Serialization serialization() {
    return serialization;
  }

  /** A fresh entity for {@code id} (snapshots every 10,000 events) on the in-memory journal. */
  EventSourcedBehaviorTestKit<AccountEntity.Command, Event, AccountState> entity(
      AccountDetector detector, String id) {
    return EventSourcedBehaviorTestKit.create(
        testKit.system(), AccountEntity.create(id, detector, 10_000, Clock.systemUTC()));
  }

  /** A journal as the entity wrote it and the state it reached live. */
  record Run(List<Event> journal, AccountState live) {}

  /** Records {@code traffic} through {@code entity} in commands of {@code chunk} observations. */
  static Run record(
      List<AccountObservation> traffic,
      int chunk,
      EventSourcedBehaviorTestKit<AccountEntity.Command, Event, AccountState> entity) {
    List<Event> journal = new ArrayList<>();
    AccountState live = null;
    for (int i = 0; i < traffic.size(); i += chunk) {
      List<AccountObservation> part = traffic.subList(i, Math.min(traffic.size(), i + chunk));
      var result =
          entity.<StatusReply<Done>>runCommand(
              replyTo -> new AccountEntity.RecordObservations(part, replyTo));
      assertThat(result.reply().isSuccess()).isTrue();
      journal.addAll(result.events());
      live = result.state();
    }
    return new Run(journal, live);
  }

  /** A sweep to THROTTLE, then 150 ordinary queries (index events at 1 and 100). */
  static List<AccountObservation> sweepThenOrdinary(String accountId) {
    List<AccountObservation> traffic = new ArrayList<>(campaign(accountId));
    for (AccountObservation o : ordinary(accountId, 150)) {
      traffic.add(
          TestFixtures.observation(
              o.eventId(), accountId, o.eventTimeMillis() + 60_000L, o.category()));
    }
    return traffic;
  }

  /** The state of an account with no journal. */
  static AccountState emptyState(AccountDetector detector) {
    return new AccountState(
        detector.newState(), SeenEventIds.empty(), null, null, null, 0L, null, null, null);
  }

  /** Folds {@code events} into the empty state, as recovery does. */
  static AccountState fold(AccountDetector detector, List<Event> events) {
    AccountState s = emptyState(detector);
    for (Event e : events) {
      s = AccountEvents.apply(s, e, detector);
    }
    return s;
  }

  /** {@code e} written and read back by the serializer configured for it. */
  Event roundTrip(Event e) {
    Serializer serializer = serialization.findSerializerFor(e);
    return (Event)
        serialization
            .deserialize(
                serializer.toBinary(e),
                serializer.identifier(),
                Serializers.manifestFor(serializer, e))
            .get();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    testKit.shutdownTestKit();
  }
}
