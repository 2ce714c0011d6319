package io.distillguard.actors.account;

import io.distillguard.actors.account.AccountEntity.Event;
import io.distillguard.actors.account.AccountEntity.ObservationRecorded;
import io.distillguard.actors.account.AccountEntity.ObservationsRecorded;
import java.util.Set;

/**
 * Which account events the effects projection reads: every event but a counted observation, and of
 * those the first and every {@link AccountEntity#INDEX_EVERY}-th (they put the account in the index
 * and keep its count roughly current without tagging, and projecting, every event).
 */
final class AccountEffectsTags {

  private AccountEffectsTags() {}

  /** The tags of {@code event}: {@link AccountEntity#EFFECTS_TAG} when it has effects. */
  static Set<String> tagsFor(Event event) {
    return tagged(event) ? Set.of(AccountEntity.EFFECTS_TAG) : Set.of();
  }

  /** Whether {@code event} has effects: a chunk when any of its facts has. */
  static boolean tagged(Event event) {
    if (event instanceof ObservationsRecorded chunk) {
      return chunk.facts().stream().anyMatch(AccountEffectsTags::tagged);
    }
    return !(event instanceof ObservationRecorded e) || projected(e.queriesObserved());
  }

  /** Whether the observation that brought the account to {@code queriesObserved} is tagged. */
  static boolean projected(long queriesObserved) {
    return queriesObserved == 1 || queriesObserved % AccountEntity.INDEX_EVERY == 0;
  }
}
