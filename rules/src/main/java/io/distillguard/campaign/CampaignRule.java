package io.distillguard.campaign;

import io.distillguard.policy.Condition;
import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.util.List;

/**
 * One campaign rule of the policy's {@code campaign_rules}: when {@code condition} holds for a
 * group of at least {@code minMembers} members and {@code minQueries} queries together, for {@code
 * holdEvaluations} consecutive evaluations and {@code holdMinutes} of event time, the rule fires
 * and asks for {@code level} (WATCH or REVIEW: a campaign never throttles its members on its own; a
 * reviewer's CONFIRMED does).
 */
public record CampaignRule(
    String name,
    Level level,
    long minMembers,
    long minQueries,
    int holdEvaluations,
    long holdMinutes,
    Condition condition) {
  public CampaignRule {
    if (level != Level.WATCH && level != Level.REVIEW) {
      throw new IllegalArgumentException("a campaign rule raises WATCH or REVIEW, not " + level);
    }
    if (holdEvaluations < 1) {
      throw new IllegalArgumentException("hold evaluations must be >= 1");
    }
  }

  /** Whether the condition holds now (ignoring the hold); appends reasons when it does. */
  public boolean holds(SignalSnapshot signals, List<Reason> reasons) {
    return signals.get(CampaignSignals.MEMBERS) >= minMembers
        && signals.queriesObserved() >= minQueries
        && condition.test(name, signals, reasons);
  }
}
