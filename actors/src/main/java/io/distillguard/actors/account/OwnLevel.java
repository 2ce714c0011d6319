package io.distillguard.actors.account;

import io.distillguard.actors.CborSerializable;
import io.distillguard.policy.Level;

/**
 * An account's own level as an event of its journal states it: what its rules decided, or a
 * reviewer of the account, or OK once it was erased; never a campaign flag. The account effects
 * projection derives these from committed events and hands them to the campaign grouping, which
 * counts the linked members already escalated on their own evidence.
 *
 * @param accountId the account
 * @param level its own level from this event on
 */
public record OwnLevel(String accountId, Level level) implements CborSerializable {

  /** The own level {@code event} of {@code accountId} states, or null when it states none. */
  public static OwnLevel of(String accountId, AccountEntity.Event event) {
    if (event instanceof AccountEntity.LevelChanged e) {
      return new OwnLevel(accountId, e.to());
    }
    if (event instanceof AccountEntity.Reviewed e) {
      return new OwnLevel(accountId, e.verdict());
    }
    if (event instanceof AccountEntity.AccountErased) {
      return new OwnLevel(accountId, Level.OK);
    }
    return null;
  }
}
