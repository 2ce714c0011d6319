package io.distillguard.contract;

import java.time.Instant;

/**
 * What an account declared about itself: the v1 account profile (see {@code
 * schema/account-profile.v1.schema.json}). A later profile for the same account replaces the
 * earlier one. Optional fields are {@code null} when absent.
 *
 * @param signupIp optional: the IP the account signed up from (may be pre-hashed upstream); only
 *     ever used hashed, as campaign link evidence
 * @param paymentFingerprint optional: an opaque fingerprint of the payment method (e.g. the card
 *     fingerprint of the payment processor); campaign link evidence
 * @param emailDomain optional: the domain of the account's e-mail address; campaign link evidence
 */
public record AccountProfile(
    String accountId,
    String statedUse,
    String orgId,
    String tier,
    Instant createdAt,
    Instant verifiedAt,
    String signupIp,
    String paymentFingerprint,
    String emailDomain) {

  /** A profile without the optional sign-up fields. */
  public AccountProfile(
      String accountId,
      String statedUse,
      String orgId,
      String tier,
      Instant createdAt,
      Instant verifiedAt) {
    this(accountId, statedUse, orgId, tier, createdAt, verifiedAt, null, null, null);
  }
}
