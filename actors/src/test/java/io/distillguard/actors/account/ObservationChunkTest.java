package io.distillguard.actors.account;

import static io.distillguard.actors.TestFixtures.campaign;
import static io.distillguard.actors.TestFixtures.ordinary;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.actors.account.AccountEntity.LevelChanged;
import io.distillguard.actors.account.AccountEntity.ObservationRecorded;
import io.distillguard.actors.account.AccountEntity.ObservationsRecorded;
import io.distillguard.detect.AccountDetector;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One journal event per account per chunk ({@link ObservationsRecorded}): it holds exactly the
 * facts the observations would have journaled one by one, its compact form reads back bit for bit,
 * a journal of old single events and one of chunk events recover the same state, and folding a
 * chunk is pure.
 */
class ObservationChunkTest {

  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private static final Serialization SERIALIZATION =
      SerializationExtension.get(TEST_KIT.system().classicSystem());

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  /** A sweep to THROTTLE, then 150 ordinary queries (index events at 1 and 100). */
  private static List<AccountObservation> traffic() {
    List<AccountObservation> traffic = new ArrayList<>(campaign("acct-1"));
    for (AccountObservation o : ordinary("acct-1", 150)) {
      traffic.add(
          TestFixtures.observation(
              o.eventId(), "acct-1", o.eventTimeMillis() + 60_000L, o.category()));
    }
    return traffic;
  }

  private record Run(List<Event> journal, AccountState live) {}

  /** Records {@code traffic} in chunks of {@code chunk} through a fresh entity. */
  private static Run run(
      AccountDetector detector,
      List<AccountObservation> traffic,
      int chunk,
      EventSourcedBehaviorTestKit<AccountEntity.Command, Event, AccountState> kit) {
    List<Event> journal = new ArrayList<>();
    AccountState live = null;
    for (int i = 0; i < traffic.size(); i += chunk) {
      List<AccountObservation> part = traffic.subList(i, Math.min(traffic.size(), i + chunk));
      var result =
          kit.<StatusReply<Done>>runCommand(
              replyTo -> new AccountEntity.RecordObservations(part, replyTo));
      assertThat(result.reply().isSuccess()).isTrue();
      journal.addAll(result.events());
      live = result.state();
    }
    return new Run(journal, live);
  }

  private static EventSourcedBehaviorTestKit<AccountEntity.Command, Event, AccountState> kit(
      AccountDetector detector, String id) {
    return EventSourcedBehaviorTestKit.create(
        TEST_KIT.system(), AccountEntity.create(id, detector, 10_000, Clock.systemUTC()));
  }

  @Test
  void oldSingleEventsAndNewChunkEventsRecoverTheSameState() {
    AccountDetector detector = TestFixtures.detector();
    List<AccountObservation> traffic = traffic();

    // The old journal: one event per fact (as the entity journaled them before chunks).
    var oldKit = kit(detector, "acct-1");
    oldKit.clear();
    Run one = run(detector, traffic, 1, oldKit);
    Run old = new Run(AccountEntityTest.facts(one.journal()), one.live());
    assertThat(old.journal()).noneMatch(ObservationsRecorded.class::isInstance);
    oldKit.clear();
    // The new journal: chunks of 23, one event each, the level changes inside.
    var newKit = kit(detector, "acct-1");
    Run chunked = run(detector, traffic, 23, newKit);
    assertThat(chunked.journal())
        .hasSize((traffic.size() + 22) / 23)
        .allMatch(ObservationsRecorded.class::isInstance);
    List<Event> facts = AccountEntityTest.facts(chunked.journal());
    assertThat(facts).isEqualTo(old.journal());
    assertThat(facts).filteredOn(LevelChanged.class::isInstance).hasSize(3);

    // Every form folds into the live state: the chunks as journaled, read back from their compact
    // bytes, the single events, and a journal that switches from one to the other.
    List<Event> readBack = chunked.journal().stream().map(ObservationChunkTest::roundTrip).toList();
    AccountState fromChunks = fold(detector, readBack);
    AccountState fromSingles =
        fold(detector, old.journal().stream().map(ObservationChunkTest::roundTrip).toList());
    int firstTwo = AccountEntityTest.facts(chunked.journal().subList(0, 2)).size();
    List<Event> mixed = new ArrayList<>(old.journal().subList(0, firstTwo));
    mixed.addAll(chunked.journal().subList(2, chunked.journal().size()));
    assertThat(old.live()).isEqualTo(chunked.live());
    assertThat(fromChunks).isEqualTo(chunked.live());
    assertThat(fromSingles).isEqualTo(chunked.live());
    assertThat(fold(detector, mixed)).isEqualTo(chunked.live());
    assertThat(fromChunks.level()).isEqualTo(Level.THROTTLE);
    assertThat(fromChunks.queriesObserved()).isEqualTo(traffic.size());

    // Recovered from the journal (no snapshot) by the entity itself.
    newKit.restart();
    assertThat(newKit.getState()).isEqualTo(chunked.live());
    newKit.clear();
  }

  @Test
  void aChunkReadsBackBitForBitAndIsTaggedWhenItHasEffects() {
    AccountDetector detector = TestFixtures.detector();
    var kit = kit(detector, "acct-1");
    kit.clear();
    Run chunked = run(detector, traffic(), 23, kit);
    Serializer serializer = SERIALIZATION.findSerializerFor(chunked.journal().get(0));
    assertThat(serializer).isInstanceOf(ObservationRecordedSerializer.class);
    for (Event e : chunked.journal()) {
      Event back = roundTrip(e);
      assertThat(serializer.toBinary(back)).isEqualTo(serializer.toBinary(e));
      assertThat(AccountEntityTest.facts(List.of(back)))
          .hasSameSizeAs(AccountEntityTest.facts(List.of(e)));
      assertThat(Serializers.manifestFor(serializer, e))
          .isEqualTo(ObservationRecordedSerializer.CHUNK_MANIFEST);
    }
    // The level changes survive the compact form field by field.
    List<Event> facts = AccountEntityTest.facts(chunked.journal());
    List<Event> factsBack =
        AccountEntityTest.facts(
            chunked.journal().stream().map(ObservationChunkTest::roundTrip).toList());
    for (int i = 0; i < facts.size(); i++) {
      if (facts.get(i) instanceof LevelChanged lc) {
        assertThat(factsBack.get(i)).isEqualTo(lc);
      }
    }
    // Tagged: the first chunk (first observation, level changes), the one that reaches 100
    // observations; the others have no effects.
    List<Boolean> tagged = chunked.journal().stream().map(AccountEntity::tagged).toList();
    assertThat(tagged.get(0)).isTrue();
    assertThat(tagged.get(99 / 23)).isTrue();
    assertThat(tagged).filteredOn(t -> t).hasSize(2);
    kit.clear();
  }

  @Test
  void foldingAChunkIsPure() {
    AccountDetector detector = TestFixtures.detector();
    var kit = kit(detector, "acct-1");
    kit.clear();
    Run chunked = run(detector, traffic(), 23, kit);
    AccountState before = fold(detector, chunked.journal().subList(0, 3));
    AccountState again = fold(detector, chunked.journal().subList(0, 3));
    Event next = chunked.journal().get(3);

    AccountState once = AccountEvents.apply(before, next, detector);
    AccountState twice = AccountEvents.apply(before, next, detector);
    assertThat(once).isEqualTo(twice).isNotEqualTo(before);
    // The state it was applied to is untouched.
    assertThat(before).isEqualTo(again);
    assertThat(before.queriesObserved()).isEqualTo(3 * 23);
    assertThat(once.queriesObserved()).isEqualTo(4 * 23);
    kit.clear();
  }

  @Test
  void aSingleFactStaysASingleEvent() {
    AccountDetector detector = TestFixtures.detector();
    var kit = kit(detector, "acct-2");
    kit.clear();
    AccountObservation o = ordinary("acct-2", 1).get(0);
    var result =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new AccountEntity.RecordObservations(List.of(o), replyTo));
    assertThat(result.events()).singleElement().isInstanceOf(ObservationRecorded.class);
    kit.clear();
  }

  private static AccountState fold(AccountDetector detector, List<Event> events) {
    AccountState s =
        new AccountState(
            detector.newState(), SeenEventIds.empty(), null, null, null, 0L, null, null, null);
    for (Event e : events) {
      s = AccountEvents.apply(s, e, detector);
    }
    return s;
  }

  private static Event roundTrip(Event e) {
    Serializer serializer = SERIALIZATION.findSerializerFor(e);
    return (Event)
        SERIALIZATION
            .deserialize(
                serializer.toBinary(e),
                serializer.identifier(),
                Serializers.manifestFor(serializer, e))
            .get();
  }
}
