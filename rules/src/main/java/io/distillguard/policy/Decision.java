package io.distillguard.policy;

import java.util.List;
import java.util.Optional;

/**
 * What the rule set concluded about an account after one observation: the level its firing rules
 * call for, every reason, and, for THROTTLE, the per-category throttle.
 */
public record Decision(Level level, List<Reason> reasons, Optional<ThrottlePlan> throttle) {
  public Decision {
    reasons = List.copyOf(reasons);
  }

  public static Decision ok() {
    return new Decision(Level.OK, List.of(), Optional.empty());
  }
}
