package io.distillguard.signals;

/**
 * An account's query counts before and after its latest identity verification, for {@link
 * Signals#POST_VERIFICATION_JUMP}. Mutable, not thread-safe; owned by {@link AccountSignals}, which
 * also serializes it ({@link AccountSignalsFormat}).
 */
final class VerificationRate {

  long lastVerifiedAtMillis = Long.MIN_VALUE;
  long preVerification;
  long postVerification;

  /** A copy. */
  VerificationRate copy() {
    VerificationRate c = new VerificationRate();
    c.lastVerifiedAtMillis = lastVerifiedAtMillis;
    c.preVerification = preVerification;
    c.postVerification = postVerification;
    return c;
  }

  /** Counts one query at {@code eventMillis}, verified at {@code verifiedAtMillis} if not null. */
  void record(long eventMillis, Long verifiedAtMillis) {
    if (verifiedAtMillis != null) {
      lastVerifiedAtMillis = verifiedAtMillis;
    }
    if (lastVerifiedAtMillis != Long.MIN_VALUE && eventMillis >= lastVerifiedAtMillis) {
      postVerification++;
    } else {
      preVerification++;
    }
  }

  /** The query rate after verification over the rate before it (0 when not both are known). */
  double jump(long firstEventMillis, long newestEventMillis) {
    if (lastVerifiedAtMillis == Long.MIN_VALUE
        || preVerification == 0
        || postVerification == 0
        || firstEventMillis >= lastVerifiedAtMillis) {
      return 0.0;
    }
    double preHours =
        Math.max(1.0, (lastVerifiedAtMillis - firstEventMillis) / (double) SignalWindows.HOUR);
    double postHours =
        Math.max(1.0, (newestEventMillis - lastVerifiedAtMillis) / (double) SignalWindows.HOUR);
    double preRate = Math.max(1.0, preVerification / preHours);
    return (postVerification / postHours) / preRate;
  }
}
