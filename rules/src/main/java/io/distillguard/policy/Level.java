package io.distillguard.policy;

/**
 * How far an account has been escalated. Ordered: {@code OK < WATCH < REVIEW < THROTTLE}. {@code
 * CLEARED} and {@code CONFIRMED} are set only by a human reviewer.
 */
public enum Level {
  OK,
  WATCH,
  REVIEW,
  THROTTLE,
  CLEARED,
  CONFIRMED;

  /** True for the levels the rule set can decide (not the reviewer's verdicts). */
  public boolean isAutomatic() {
    return this != CLEARED && this != CONFIRMED;
  }

  /** True when this automatic level is strictly above {@code other}. */
  public boolean isAbove(Level other) {
    return isAutomatic() && other.isAutomatic() && ordinal() > other.ordinal();
  }
}
