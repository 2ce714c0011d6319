package io.distillguard.actors.account;

import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.actors.account.AccountEntity.ObservationRecorded;
import io.distillguard.actors.account.AccountEntity.ObservationsRecorded;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * When the account entity snapshots its state, and which snapshots it keeps: every {@code every}
 * journal events, keeping the latest two, and also after each event that carries the account's
 * count of observations across a multiple of {@code every} ({@link #crossesObservationMultiple}).
 */
final class AccountSnapshotCriterion {

  private AccountSnapshotCriterion() {}

  /**
   * Snapshots every {@code snapshotEvery} journal events, keeping the latest two (older ones are
   * deleted then), and also after the event that brings the account's count of observations past a
   * multiple of {@code snapshotEvery} ({@link #crossesObservationMultiple}).
   */
  static RetentionCriteria retentionCriteria(int snapshotEvery) {
    return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }

  /**
   * Whether {@code event} brings the account's count of observations from below a multiple of
   * {@code every} to at least that multiple.
   *
   * <p>Bounds what a recovery replays in observations, not only in journal events: a journal event
   * is a chunk of up to a thousand observations ({@link ObservationsRecorded}), so 200 events can
   * hold 200,000 of them. A snapshot is also taken after each event that carries the account's
   * count of observations across a multiple of {@code every}, so the events after the latest
   * snapshot hold fewer than {@code every} counted observations (and fewer than {@code every}
   * events): a recovery folds at most as many observations as when each observation was an event of
   * its own. These snapshots are deleted with the event-count ones (every {@code every} events, all
   * but the latest two).
   */
  static boolean crossesObservationMultiple(Event event, int every) {
    long first = -1;
    long last = -1;
    if (event instanceof ObservationRecorded e) {
      first = e.queriesObserved();
      last = first;
    } else if (event instanceof ObservationsRecorded chunk) {
      for (Event fact : chunk.facts()) {
        if (fact instanceof ObservationRecorded e) {
          if (first < 0) {
            first = e.queriesObserved();
          }
          last = e.queriesObserved();
        }
      }
    }
    return first > 0 && (first - 1) / every != last / every;
  }
}
