package io.distillguard.detect;

import io.distillguard.policy.Decision;
import io.distillguard.policy.Level;
import io.distillguard.signals.SignalSnapshot;

/**
 * What one observation did to an account.
 *
 * @param duplicate the event id was seen recently: nothing changed, {@code decision} is empty
 * @param signals the account's signals after the observation
 * @param decision what the rule set calls for now (firing rules, reasons, throttle plan); the
 *     account's level follows it subject to hysteresis, cool-down and reviewer verdicts
 * @param previousLevel the account's level before the observation
 * @param level the account's level after it
 */
public record Evaluation(
    boolean duplicate,
    SignalSnapshot signals,
    Decision decision,
    Level previousLevel,
    Level level) {

  /**
   * True when the account was escalated by this observation: its level rose, or it left a
   * reviewer's CLEARED for an automatic level above OK (re-armed on new evidence).
   */
  public boolean escalated() {
    if (level == previousLevel || !level.isAutomatic() || level == Level.OK) {
      return false;
    }
    return !previousLevel.isAutomatic() || level.isAbove(previousLevel);
  }
}
