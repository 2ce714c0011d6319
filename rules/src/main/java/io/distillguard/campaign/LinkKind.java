package io.distillguard.campaign;

/**
 * The independent kinds of evidence that link accounts. A candidate group needs links of at least
 * two kinds, one of them {@link #CONTENT} or {@link #REGISTRATION}: shared infrastructure alone (an
 * office NAT, a campus network, a popular SDK) never makes a group.
 */
public enum LinkKind {
  /** Where the traffic comes from: client IP, its prefix, user agent, API key id pattern. */
  INFRASTRUCTURE,
  /** How the accounts were created: sign-up bursts, templated stated uses, sign-up fingerprints. */
  REGISTRATION,
  /** What the accounts send: the same prompt scaffold, near-duplicate payloads. */
  CONTENT
}
