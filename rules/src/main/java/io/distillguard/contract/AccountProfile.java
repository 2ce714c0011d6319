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
 * @param statedUseEmbedding optional: the stated use's embedding computed upstream with the
 *     deployment's model (the v1 field {@code stated_use_embedding_b64}), so the ingest job need
 *     not embed the text; shared, not copied: treat it as read-only
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
    String emailDomain,
    float[] statedUseEmbedding) {

  /** A profile without a precomputed stated-use embedding. */
  public AccountProfile(
      String accountId,
      String statedUse,
      String orgId,
      String tier,
      Instant createdAt,
      Instant verifiedAt,
      String signupIp,
      String paymentFingerprint,
      String emailDomain) {
    this(
        accountId,
        statedUse,
        orgId,
        tier,
        createdAt,
        verifiedAt,
        signupIp,
        paymentFingerprint,
        emailDomain,
        null);
  }

  /** A profile without the optional sign-up fields. */
  public AccountProfile(
      String accountId,
      String statedUse,
      String orgId,
      String tier,
      Instant createdAt,
      Instant verifiedAt) {
    this(accountId, statedUse, orgId, tier, createdAt, verifiedAt, null, null, null, null);
  }

  /** This profile with its stated use's embedding (or without one, for {@code null}). */
  public AccountProfile withStatedUseEmbedding(float[] embedding) {
    return new AccountProfile(
        accountId,
        statedUse,
        orgId,
        tier,
        createdAt,
        verifiedAt,
        signupIp,
        paymentFingerprint,
        emailDomain,
        embedding);
  }
}
