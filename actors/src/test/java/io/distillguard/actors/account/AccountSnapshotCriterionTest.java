package io.distillguard.actors.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.distillguard.actors.TestFixtures;
import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.actors.account.AccountEntity.ObservationRecorded;
import io.distillguard.actors.account.AccountEntity.ObservationsRecorded;
import io.distillguard.detect.AccountDetector;
import io.distillguard.observe.AccountObservation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An account entity snapshots by observations as well as by journal events: with chunk events of
 * many observations, what a recovery replays after the latest snapshot stays under {@code
 * snapshotEvery} observations, and the state recovered from that snapshot and the tail equals the
 * live state.
 */
class AccountSnapshotCriterionTest {

  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config());

  private static final int SNAPSHOT_EVERY = 50;

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  @Test
  void chunksOfManyObservationsAreSnapshottedByObservationsAndRecoverTheSameState() {
    AccountDetector detector = TestFixtures.detector();
    String account = "acct-snap";
    var kit =
        EventSourcedBehaviorTestKit.<AccountEntity.Command, Event, AccountState>create(
            TEST_KIT.system(),
            AccountEntity.create(account, detector, SNAPSHOT_EVERY, Clock.systemUTC()));
    kit.clear();
    List<AccountObservation> traffic = new ArrayList<>(TestFixtures.campaign(account));
    for (AccountObservation o : TestFixtures.ordinary(account, 600)) {
      traffic.add(
          TestFixtures.observation(
              o.eventId(), account, o.eventTimeMillis() + 60_000L, o.category()));
    }
    // Chunks of 1 to 37 observations (one journal event each): far fewer events than
    // SNAPSHOT_EVERY, so the event count alone would never snapshot.
    int[] sizes = {1, 37, 5, 23, 2, 31, 17, 8, 29, 13};
    AccountState live = null;
    int events = 0;
    for (int i = 0, k = 0; i < traffic.size(); k++) {
      List<AccountObservation> part =
          traffic.subList(i, Math.min(traffic.size(), i + sizes[k % sizes.length]));
      i += part.size();
      var result =
          kit.<StatusReply<Done>>runCommand(
              replyTo -> new AccountEntity.RecordObservations(part, replyTo));
      assertThat(result.reply().isSuccess()).isTrue();
      events += result.events().size();
      live = result.state();
    }
    assertThat(events).isLessThan(SNAPSHOT_EVERY);
    assertThat(live.queriesObserved()).isEqualTo(traffic.size());

    String pid = AccountEntity.persistenceId(account).id();
    List<Pair<SnapshotMeta, Object>> snapshots =
        kit.snapshotTestKit().orElseThrow().persistedInStorage(pid);
    // one snapshot per multiple of SNAPSHOT_EVERY crossed (608 observations: 12)
    assertThat(snapshots).hasSize(traffic.size() / SNAPSHOT_EVERY);
    long latest = snapshots.stream().mapToLong(p -> p.first().sequenceNr()).max().orElseThrow();
    List<Object> journal = kit.persistenceTestKit().persistedInStorage(pid);
    long tailObservations = 0;
    for (Object e : journal.subList((int) latest, journal.size())) {
      tailObservations += observations((Event) e);
    }
    assertThat(tailObservations).isLessThan(SNAPSHOT_EVERY);

    var restarted = kit.restart();
    assertThat(restarted.state()).isEqualTo(live);
    assertThat(kit.getState()).isEqualTo(live);
    kit.clear();
  }

  @Test
  void anEventSnapshotsWhenItCarriesTheCountAcrossAMultiple() {
    assertThat(AccountSnapshotCriterion.crossesObservationMultiple(chunk(1, 49), 50)).isFalse();
    assertThat(AccountSnapshotCriterion.crossesObservationMultiple(chunk(45, 50), 50)).isTrue();
    assertThat(AccountSnapshotCriterion.crossesObservationMultiple(chunk(50, 50), 50)).isTrue();
    assertThat(AccountSnapshotCriterion.crossesObservationMultiple(chunk(51, 99), 50)).isFalse();
    assertThat(AccountSnapshotCriterion.crossesObservationMultiple(chunk(90, 260), 50)).isTrue();
  }

  private static long observations(Event e) {
    if (e instanceof ObservationRecorded) {
      return 1;
    }
    if (e instanceof ObservationsRecorded chunk) {
      return chunk.facts().stream().filter(ObservationRecorded.class::isInstance).count();
    }
    return 0;
  }

  /** A chunk of observation facts counting the account from {@code first} to {@code last}. */
  private static ObservationsRecorded chunk(long first, long last) {
    List<Event> facts = new ArrayList<>();
    for (long q = first; q <= last; q++) {
      facts.add(fact(q));
    }
    return new ObservationsRecorded(facts);
  }

  private static ObservationRecorded fact(long queriesObserved) {
    return new ObservationRecorded(
        TestFixtures.observation("e-" + queriesObserved, "acct-x", 1_000L * queriesObserved, "c"),
        queriesObserved,
        null,
        null,
        null,
        null,
        0.0);
  }
}
