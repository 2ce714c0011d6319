package io.distillguard.ingest.profile;

import io.distillguard.contract.AccountProfile;
import io.distillguard.enrich.StatedUse;

/**
 * An account's current profile together with what was derived from it once: the stated use's
 * embedding and expected category shares. Kept in keyed state so the stated use is embedded once
 * per profile version, not once per event.
 */
public record ProfileVersion(AccountProfile profile, StatedUse statedUse) {}
