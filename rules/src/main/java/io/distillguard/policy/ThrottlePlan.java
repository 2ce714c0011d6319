package io.distillguard.policy;

import java.time.Duration;
import java.util.Map;

/**
 * The throttle a THROTTLE decision asks the gateway to apply: an allowed share (0..1) of the
 * account's traffic per semantic category, for a limited time. Categories not listed are not
 * throttled.
 */
public record ThrottlePlan(Map<String, Double> categoryShares, Duration ttl) {
  public ThrottlePlan {
    categoryShares = Map.copyOf(categoryShares);
    categoryShares.forEach(
        (category, share) -> {
          if (share < 0.0 || share > 1.0) {
            throw new IllegalArgumentException(
                "share of " + category + " must be in 0..1: " + share);
          }
        });
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
  }
}
