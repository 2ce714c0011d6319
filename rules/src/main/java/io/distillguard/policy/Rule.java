package io.distillguard.policy;

import io.distillguard.signals.SignalSnapshot;
import java.util.List;

/**
 * One policy rule: when {@code condition} holds for an account with at least {@code minQueries}
 * events, for at least {@code holdEvaluations} consecutive evaluations and {@code holdMinutes} of
 * event time, the rule fires and asks for {@code level}.
 */
public record Rule(
    String name,
    Level level,
    long minQueries,
    int holdEvaluations,
    long holdMinutes,
    Condition condition) {
  public Rule {
    if (!level.isAutomatic() || level == Level.OK) {
      throw new IllegalArgumentException("a rule raises WATCH, REVIEW or THROTTLE, not " + level);
    }
    if (holdEvaluations < 1) {
      throw new IllegalArgumentException("hold evaluations must be >= 1");
    }
  }

  /**
   * Whether the condition holds right now (ignoring the hold), appending reasons when it does.
   * Accounts below {@code minQueries} never hold.
   */
  public boolean holds(SignalSnapshot signals, List<Reason> reasons) {
    return signals.queriesObserved() >= minQueries && condition.test(name, signals, reasons);
  }
}
