package io.distillguard.campaign;

import io.distillguard.policy.Level;
import io.distillguard.policy.Reason;
import io.distillguard.signals.SignalSnapshot;
import java.util.List;

/**
 * One evaluation of a campaign: its signals, the level the firing rules call for, their reasons,
 * and the level before and after the evaluation's transition.
 */
public record CampaignDecision(
    SignalSnapshot signals, Level decided, List<Reason> reasons, Level previous, Level level) {
  public CampaignDecision {
    reasons = List.copyOf(reasons);
  }

  /** True when the campaign's level changed. */
  public boolean changed() {
    return previous != level;
  }
}
