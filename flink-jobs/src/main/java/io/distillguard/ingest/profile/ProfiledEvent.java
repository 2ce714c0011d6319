package io.distillguard.ingest.profile;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.enrich.PromptSplit;
import io.distillguard.enrich.StatedUse;

/**
 * A query event joined with its account's profile.
 *
 * @param event the event
 * @param profile the account's profile, {@code null} when the account has none
 * @param statedUse derived from {@code profile}, {@code null} when there is no profile
 * @param split the prompt cut into the account's scaffold and the payload (see {@code
 *     SplitPreambleFunction}); the whole prompt as payload until the scaffold step has run
 */
public record ProfiledEvent(
    QueryEvent event, AccountProfile profile, StatedUse statedUse, PromptSplit split) {

  public ProfiledEvent {
    if (split == null) {
      split = PromptSplit.whole(event.prompt());
    }
  }

  /** Joined, not split yet: the whole prompt is the payload. */
  public ProfiledEvent(QueryEvent event, AccountProfile profile, StatedUse statedUse) {
    this(event, profile, statedUse, null);
  }

  /** This event with its prompt split. */
  public ProfiledEvent withSplit(PromptSplit newSplit) {
    return new ProfiledEvent(event, profile, statedUse, newSplit);
  }
}
