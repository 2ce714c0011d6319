package io.distillguard.actors;

import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import java.util.List;
import java.util.Map;

/**
 * Where one account stands: its level, the latest signal values and the reasons of the latest
 * decision, and the reviewer's verdict if there is one. What {@code GET /v1/accounts/{id}} returns
 * and what {@link ActorService#accounts()} lists.
 *
 * @param accountId the account
 * @param level current level
 * @param queriesObserved events counted (duplicates excluded)
 * @param lastEventAtMillis event time of the latest observation; 0 before the first
 * @param levelSinceMillis event time (or review time) at which the current level was reached
 * @param signals latest signal values by name
 * @param reasons reasons of the latest decision, with their values as of its last change (of level,
 *     throttle plan or rules); the current values are in {@code signals}
 * @param reviewer who reviewed the account last; null when never reviewed
 * @param reviewNote the reviewer's note; may be null
 * @param reviewedAtMillis when (wall clock) it was reviewed; null when never reviewed
 * @param campaignId the campaign that flags the account (its level is then at least the campaign's
 *     flag), or null
 */
public record AccountStatus(
    String accountId,
    Level level,
    long queriesObserved,
    long lastEventAtMillis,
    long levelSinceMillis,
    Map<String, Double> signals,
    List<Reason> reasons,
    String reviewer,
    String reviewNote,
    Long reviewedAtMillis,
    String campaignId)
    implements CborSerializable {

  public AccountStatus {
    signals = Map.copyOf(signals);
    reasons = List.copyOf(reasons);
  }

  /** True for an open case: the rule set asked for a review and no reviewer has decided yet. */
  public boolean openCase() {
    return level == Level.REVIEW || level == Level.THROTTLE;
  }
}
