package io.distillguard.ingest.profile;

import io.distillguard.contract.AccountProfile;
import io.distillguard.contract.QueryEvent;
import io.distillguard.enrich.StatedUse;

/**
 * A query event joined with its account's profile.
 *
 * @param event the event
 * @param profile the account's profile, {@code null} when the account has none
 * @param statedUse derived from {@code profile}, {@code null} when there is no profile
 */
public record ProfiledEvent(QueryEvent event, AccountProfile profile, StatedUse statedUse) {}
