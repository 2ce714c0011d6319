package io.distillguard.actors.account;

import static io.distillguard.actors.TestFixtures.ordinary;
import static io.distillguard.actors.account.AccountJournalKit.fold;
import static io.distillguard.actors.account.AccountJournalKit.record;
import static io.distillguard.actors.account.AccountJournalKit.sweepThenOrdinary;
import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.actors.account.AccountEntity.LevelChanged;
import io.distillguard.actors.account.AccountEntity.ObservationRecorded;
import io.distillguard.actors.account.AccountEntity.ObservationsRecorded;
import io.distillguard.actors.account.AccountJournalKit.Run;
import io.distillguard.detect.AccountDetector;
import io.distillguard.observe.AccountObservation;
import io.distillguard.policy.Level;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One journal event per account per chunk ({@link ObservationsRecorded}): it holds exactly the
 * facts the observations would have journaled one by one, its compact form reads back bit for bit,
 * a journal of old single events and one of chunk events recover the same state, and folding a
 * chunk is pure.
 */
class ObservationChunkTest {

  @RegisterExtension static final AccountJournalKit JOURNAL = new AccountJournalKit();

  @Test
  void oldSingleEventsAndNewChunkEventsRecoverTheSameState() {
    AccountDetector detector = TestFixtures.detector();
    List<AccountObservation> traffic = sweepThenOrdinary("acct-1");

    // The old journal: one event per fact (as the entity journaled them before chunks).
    var oldKit = JOURNAL.entity(detector, "acct-1");
    oldKit.clear();
    Run one = record(traffic, 1, oldKit);
    Run old = new Run(AccountEntityTest.facts(one.journal()), one.live());
    assertThat(old.journal()).noneMatch(ObservationsRecorded.class::isInstance);
    oldKit.clear();
    // The new journal: chunks of 23, one event each, the level changes inside.
    var newKit = JOURNAL.entity(detector, "acct-1");
    Run chunked = record(traffic, 23, newKit);
    assertThat(chunked.journal())
        .hasSize((traffic.size() + 22) / 23)
        .allMatch(ObservationsRecorded.class::isInstance);
    List<Event> facts = AccountEntityTest.facts(chunked.journal());
    assertThat(facts).isEqualTo(old.journal());
    assertThat(facts).filteredOn(LevelChanged.class::isInstance).hasSize(3);

    // Every form folds into the live state: the chunks as journaled, read back from their compact
    // bytes, the single events, and a journal that switches from one to the other.
    List<Event> readBack = chunked.journal().stream().map(JOURNAL::roundTrip).toList();
    AccountState fromChunks = fold(detector, readBack);
    AccountState fromSingles =
        fold(detector, old.journal().stream().map(JOURNAL::roundTrip).toList());
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
    var kit = JOURNAL.entity(detector, "acct-1");
    kit.clear();
    Run chunked = record(sweepThenOrdinary("acct-1"), 23, kit);
    Serializer serializer = JOURNAL.serialization().findSerializerFor(chunked.journal().get(0));
    assertThat(serializer).isInstanceOf(ObservationRecordedSerializer.class);
    for (Event e : chunked.journal()) {
      Event back = JOURNAL.roundTrip(e);
      assertThat(serializer.toBinary(back)).isEqualTo(serializer.toBinary(e));
      assertThat(AccountEntityTest.facts(List.of(back)))
          .hasSameSizeAs(AccountEntityTest.facts(List.of(e)));
      assertThat(Serializers.manifestFor(serializer, e))
          .isEqualTo(ObservationRecordedSerializer.CHUNK_MANIFEST);
    }
    // The level changes survive the compact form field by field.
    List<Event> facts = AccountEntityTest.facts(chunked.journal());
    List<Event> factsBack =
        AccountEntityTest.facts(chunked.journal().stream().map(JOURNAL::roundTrip).toList());
    for (int i = 0; i < facts.size(); i++) {
      if (facts.get(i) instanceof LevelChanged lc) {
        assertThat(factsBack.get(i)).isEqualTo(lc);
      }
    }
    // Tagged: the first chunk (first observation, level changes), the one that reaches 100
    // observations; the others have no effects.
    List<Boolean> tagged = chunked.journal().stream().map(AccountEffectsTags::tagged).toList();
    assertThat(tagged.get(0)).isTrue();
    assertThat(tagged.get(99 / 23)).isTrue();
    assertThat(tagged).filteredOn(t -> t).hasSize(2);
    kit.clear();
  }

  @Test
  void foldingAChunkIsPure() {
    AccountDetector detector = TestFixtures.detector();
    var kit = JOURNAL.entity(detector, "acct-1");
    kit.clear();
    Run chunked = record(sweepThenOrdinary("acct-1"), 23, kit);
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
    var kit = JOURNAL.entity(detector, "acct-2");
    kit.clear();
    AccountObservation o = ordinary("acct-2", 1).get(0);
    var result =
        kit.<StatusReply<Done>>runCommand(
            replyTo -> new AccountEntity.RecordObservations(List.of(o), replyTo));
    assertThat(result.events()).singleElement().isInstanceOf(ObservationRecorded.class);
    kit.clear();
  }
}
