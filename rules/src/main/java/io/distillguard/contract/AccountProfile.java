package io.distillguard.contract;

import java.time.Instant;

/**
 * What an account declared about itself: the v1 account profile (see {@code
 * schema/account-profile.v1.schema.json}). A later profile for the same account replaces the
 * earlier one. Optional fields are {@code null} when absent.
 */
public record AccountProfile(
    String accountId,
    String statedUse,
    String orgId,
    String tier,
    Instant createdAt,
    Instant verifiedAt) {}
