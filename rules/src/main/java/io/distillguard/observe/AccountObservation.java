package io.distillguard.observe;

/**
 * What the ingest job tells an account's actor about one query: compact, no prompt text and no
 * vector. Everything the detection signals need is computed once, in the job, and carried here.
 *
 * <p>A concrete public record so Flink serializes it without Kryo. Nullable fields are boxed.
 *
 * @param eventId the query event's id (idempotency key: an entity counts an event id once)
 * @param accountId the account
 * @param eventTimeMillis the event's own timestamp (event time drives every window)
 * @param category nearest capability category name (see {@code CapabilityTaxonomy})
 * @param categorySimilarity cosine similarity to that category's centroid
 * @param statedUseSimilarity cosine similarity between the prompt and the account's stated use
 * @param lshSignature 64-bit random-hyperplane signature of the prompt embedding (taxonomy-free
 *     cell: the top bits are a coarse cell, all bits a near-duplicate key)
 * @param templateFingerprint hash of the prompt's shape with its content words masked
 * @param promptChars prompt length in characters (0 when only an embedding was sent)
 * @param promptTokens optional, from the event
 * @param completionTokens optional, from the event
 * @param responseEntropy optional, from the event (nats per token)
 * @param apiKeyId optional, from the event
 * @param clientIp optional, from the event (may be pre-hashed upstream)
 * @param userAgent optional, from the event
 * @param orgId optional, from the joined profile
 * @param verifiedAtMillis optional, from the joined profile
 * @param statedUseCategoryShares the category distribution expected from the stated use, in the
 *     taxonomy's category order; {@code null} when the account has no profile yet
 * @param taxonomyVersion the version of the capability taxonomy that {@code category} and {@code
 *     statedUseCategoryShares} come from ({@code CapabilityTaxonomy#version()}); {@code null} in
 *     observations written before the version was carried (the consumer then assumes its own)
 * @param linkKeys the campaign link keys of the query and of the account's profile, each {@code
 *     type:hash} ({@code io.distillguard.campaign.LinkKey#wire()}); {@code null} when none were
 *     computed. The ingest job then carries {@code clientIp} as its keyed hash too, never raw
 * @param signupMillis optional, from the joined profile: when the account was created (read by
 *     campaign signals that compare members' sign-up times)
 */
public record AccountObservation(
    String eventId,
    String accountId,
    long eventTimeMillis,
    String category,
    float categorySimilarity,
    float statedUseSimilarity,
    long lshSignature,
    long templateFingerprint,
    int promptChars,
    Integer promptTokens,
    Integer completionTokens,
    Double responseEntropy,
    String apiKeyId,
    String clientIp,
    String userAgent,
    String orgId,
    Long verifiedAtMillis,
    float[] statedUseCategoryShares,
    String taxonomyVersion,
    String[] linkKeys,
    Long signupMillis) {

  /** This observation, stamped with the taxonomy version it was made with. */
  public AccountObservation withTaxonomyVersion(String version) {
    return withStatedUseShares(statedUseCategoryShares, version);
  }

  /**
   * This observation with other stated-use shares, as positions in the categories of the taxonomy
   * {@code version} (the two go together: shares are read by position).
   */
  public AccountObservation withStatedUseShares(float[] shares, String version) {
    return new AccountObservation(
        eventId,
        accountId,
        eventTimeMillis,
        category,
        categorySimilarity,
        statedUseSimilarity,
        lshSignature,
        templateFingerprint,
        promptChars,
        promptTokens,
        completionTokens,
        responseEntropy,
        apiKeyId,
        clientIp,
        userAgent,
        orgId,
        verifiedAtMillis,
        shares,
        version,
        linkKeys,
        signupMillis);
  }

  /**
   * This observation with campaign link keys, and with {@code clientIp} replaced by {@code
   * hashedClientIp} (the IP's link-key hash; null when the query had no IP).
   */
  public AccountObservation withLinkKeys(String[] keys, String hashedClientIp) {
    return new AccountObservation(
        eventId,
        accountId,
        eventTimeMillis,
        category,
        categorySimilarity,
        statedUseSimilarity,
        lshSignature,
        templateFingerprint,
        promptChars,
        promptTokens,
        completionTokens,
        responseEntropy,
        apiKeyId,
        hashedClientIp,
        userAgent,
        orgId,
        verifiedAtMillis,
        statedUseCategoryShares,
        taxonomyVersion,
        keys,
        signupMillis);
  }

  /** This observation with the account's sign-up time (null when the profile has none). */
  public AccountObservation withSignupMillis(Long millis) {
    return new AccountObservation(
        eventId,
        accountId,
        eventTimeMillis,
        category,
        categorySimilarity,
        statedUseSimilarity,
        lshSignature,
        templateFingerprint,
        promptChars,
        promptTokens,
        completionTokens,
        responseEntropy,
        apiKeyId,
        clientIp,
        userAgent,
        orgId,
        verifiedAtMillis,
        statedUseCategoryShares,
        taxonomyVersion,
        linkKeys,
        millis);
  }
}
